"""compare and sweep on the command line, with real files written and read back."""
import csv
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET


def cli(*args):
    return subprocess.run([sys.executable, "-m", "designer", *args], capture_output=True,
                          text=True, timeout=180, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def test_compare_markdown_table():
    out = cli("compare", "vgg16", "mobilenet_v1", "mobilenet_v2", "squeezenet1_1", "--markdown")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[3].startswith("| mobilenet_v1 | 1 | 224×224 | 4,231,976 | 568,740,352 |")
    assert lines[3].split(" | ")[8] == f"{568_740_352 / 15_470_264_320:.3f}"


def test_compare_per_design_alpha_json_and_errors():
    out = cli("compare", "mobilenet_v1", "mobilenet_v1", "--alpha", "1,0.5", "--json")
    rows = json.loads(out.stdout)["rows"]
    assert [round(r["macs"] / 1e6) for r in rows] == [569, 149]
    bad = cli("compare", "mobilenet_v1", "vgg16", "--alpha", "1,0.5,0.25")
    assert bad.returncode == 2 and "one per design" in bad.stderr


def test_compare_png_svg_csv(tmp_path):
    out = cli("compare", "vgg16", "mobilenet_v2", "--csv", "--png", str(tmp_path / "c.png"),
              "--svg", str(tmp_path / "c.svg"))
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout.split("wrote")[0])))
    assert rows[1]["design"] == "mobilenet_v2" and int(rows[1]["params"]) == 3_504_872
    from PySide6.QtGui import QImage
    image = QImage(str(tmp_path / "c.png"))
    assert image.width() >= 1400 and image.height() >= 500
    root = ET.parse(tmp_path / "c.svg").getroot()
    assert root.tag.endswith("svg")


def test_sweep_csv_and_png(tmp_path):
    out = cli("sweep", "mobilenet_v1", "--alphas", "1,0.5", "--resolutions", "224,160", "--csv",
              "--png", str(tmp_path / "s.png"))
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout.split("wrote")[0])))
    assert [(r["alpha"], r["resolution"], round(int(r["macs"]) / 1e6)) for r in rows] == [
        ("1.0", "224", 569), ("1.0", "160", 291), ("0.5", "224", 149), ("0.5", "160", 77)]
    assert (tmp_path / "s.png").stat().st_size > 10_000
    assert cli("sweep", "mobilenet_v1", "--alphas", "9").returncode == 2
