"""``python -m designer diagram``: the layout drawn to SVG and PNG, its geometry as JSON with every
edge, run as a user runs it."""
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

from designer.core.builder import generated_dense
from designer.core.io import save
from designer.core.layered import Box, overlapping, segments_cross_box
from designer.core.presets import load_preset


def cli(*args):
    return subprocess.run([sys.executable, "-m", "designer", *args], capture_output=True,
                          text=True, check=False)


def test_json_has_every_edge_and_checks_out_geometrically(tmp_path):
    out = cli("diagram", "googlenet", str(tmp_path / "g.svg"), "--json", str(tmp_path / "g.json"))
    assert out.returncode == 0, out.stderr
    data = json.loads((tmp_path / "g.json").read_text())
    design = load_preset("googlenet")
    assert sorted((e["from"], e["to"], e["port"]) for e in data["edges"]) == \
        sorted((e.src, e.dst, e.port) for e in design.edges)
    assert {n["id"] for n in data["nodes"]} == {"input", *design.nodes}
    names = {n["id"]: n["name"] for n in data["nodes"]}
    assert names["inception3a.branch1"] == "inception3a.branch1" and names["input"] == "input"
    boxes = {n["id"]: Box(n["x"], n["y"], n["width"], n["height"]) for n in data["nodes"]}
    assert overlapping(boxes) == []
    for e in data["edges"]:
        assert all(len(p) == 2 for p in e["points"])
        for nid, box in boxes.items():
            if nid not in (e["from"], e["to"]):
                assert not segments_cross_box(e["points"], box)
    svg = ET.parse(tmp_path / "g.svg").getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert len(svg.findall(f"{ns}polyline")) == len(design.edges)
    texts = {t.text for t in svg.iter(f"{ns}text")}
    assert "inception5b.branch4b" in texts and "conv → 1000" not in texts


def test_png_of_a_generated_design_with_scaling_flags(tmp_path):
    path = tmp_path / "dense.json"
    save(generated_dense(30), path)
    out = cli("diagram", str(path), str(tmp_path / "d.png"), "--alpha", "0.5")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "d.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_invalid_design_draws_with_its_waiting_blocks_marked(tmp_path):
    design = load_preset("resnet18_layers")
    design.nodes["layer2.0.conv1"].params["stride"] = 1
    save(design, tmp_path / "bad.json")
    out = cli("diagram", str(tmp_path / "bad.json"), str(tmp_path / "bad.svg"))
    assert out.returncode == 0, out.stderr
    text = (tmp_path / "bad.svg").read_text()
    assert text.count(">waiting on layer2.0.add</text>") == 19
    assert "⚠ add needs" in text
    assert ("<title>layer2.0.add\nlayer2.0.add: add needs inputs of one shape, got 128×56×56, "
            "128×28×28 (inputs: port 0 from layer2.0.conv2: 128×56×56, port 1 from "
            "layer2.0.downsample: 128×28×28)</title>") in text


def test_bad_output_names_are_clear_errors(tmp_path):
    out = cli("diagram", "resnet18_layers", str(tmp_path / "r.pdf"))
    assert out.returncode == 2 and "error: OUT must end in .svg or .png" in out.stderr
    out = cli("diagram", "resnet18_layers", str(tmp_path / "missing" / "r.svg"))
    assert out.returncode == 2 and out.stderr.startswith("error: ") and "Traceback" not in out.stderr


def test_groups_saved_collapsed_are_drawn_as_one_box_with_their_cost(tmp_path):
    design = load_preset("googlenet")
    design.view = {"collapsed": ["inception3a"]}
    save(design, tmp_path / "g.json")
    out = cli("diagram", str(tmp_path / "g.json"), str(tmp_path / "g.svg"),
              "--json", str(tmp_path / "g.geo.json"))
    assert out.returncode == 0, out.stderr
    data = json.loads((tmp_path / "g.geo.json").read_text())
    ids = {n["id"] for n in data["nodes"]}
    assert "group:inception3a" in ids and "inception3a.branch1" not in ids
    assert {"from": "maxpool2", "to": "group:inception3a", "port": 0}.items() <= \
        next(e for e in data["edges"] if e["to"] == "group:inception3a").items()
    text = (tmp_path / "g.svg").read_text()
    assert ">▸ inception3a</text>" in text and ">group of 8 blocks</text>" in text
    assert ">155.87k params · 121.63M MACs</text>" in text
