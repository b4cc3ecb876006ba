"""export, check and netron from the command line, as a user runs them."""
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import onnx


def cli(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "designer", *args], check=False,
                          capture_output=True, text=True, timeout=timeout)


def test_export_py_and_onnx(tmp_path):
    out = cli("export", "mobilenet_v2", "--alpha", "0.5", "--resolution", "160",
              "--py", str(tmp_path / "m.py"), "--onnx", str(tmp_path / "m.onnx"))
    assert out.returncode == 0, out.stderr
    stats = json.loads(cli("stats", "mobilenet_v2", "--alpha", "0.5", "--resolution", "160",
                           "--json").stdout)
    assert f"{stats['params']:,}" in out.stdout and "onnxruntime matches" in out.stdout
    run = subprocess.run([sys.executable, str(tmp_path / "m.py")], check=False, capture_output=True, text=True)
    assert f"parameters: {stats['params']:,}" in run.stdout
    proto = onnx.load(str(tmp_path / "m.onnx"))
    assert proto.graph.input[0].type.tensor_type.shape.dim[2].dim_value == 160


def test_export_refuses_an_invalid_design_and_writes_nothing(tmp_path):
    d = json.loads(Path("resources/presets/mobilenet_v1.json").read_text())
    d["nodes"][2]["params"]["out_channels"] = 0
    (tmp_path / "bad.json").write_text(json.dumps(d))
    out = cli("export", str(tmp_path / "bad.json"), "--py", str(tmp_path / "m.py"))
    assert out.returncode == 1 and "field 'out_channels'" in out.stderr
    assert "Traceback" not in out.stderr and not (tmp_path / "m.py").exists()
    assert cli("export", "mobilenet_v2").returncode == 2


def test_check_explains_every_counter():
    out = cli("check", "mobilenet_v2")
    assert out.returncode == 0, out.stderr
    assert "300,774,272" in out.stdout
    assert out.stdout.count("exactly") == 3 and "fvcore           314,193,216" in out.stdout


def test_netron_serves_and_stops(tmp_path):
    out = cli("netron", "squeezenet1_1", "--no-browser", "--seconds", "1")
    assert out.returncode == 0, out.stderr
    assert "http://127.0.0.1:" in out.stdout


def test_netron_serves_an_onnx_file_on_loopback_until_stopped(tmp_path):
    assert cli("export", "squeezenet1_1", "--onnx", str(tmp_path / "m.onnx")).returncode == 0
    server = subprocess.Popen([sys.executable, "-m", "designer", "netron", str(tmp_path / "m.onnx"),
                               "--no-browser", "--seconds", "20"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()
        assert line.startswith(f"Netron is serving {tmp_path / 'm.onnx'} at http://127.0.0.1:")
        url = line.split(" at ", 1)[1].split()[0]
        assert b"netron" in urllib.request.urlopen(url, timeout=10).read().lower()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_netron_names_a_missing_file():
    out = cli("netron", "no/such/model.onnx", "--no-browser")
    assert out.returncode == 2 and out.stderr.strip() == "error: no/such/model.onnx: no such file"


def test_export_to_a_missing_folder_says_so(tmp_path):
    for flag in ("--py", "--onnx"):
        target = tmp_path / "no" / f"m.{flag[2:]}"
        out = cli("export", "squeezenet1_1", flag, str(target))
        assert out.returncode == 1
        assert out.stderr == f"error: cannot write {target}: there is no folder {target.parent}\n"


def huge_design_file(tmp_path):
    """A design whose one forward pass needs terabytes: the allocation fails at once."""
    from designer.core import io
    from designer.core.builder import Builder

    b = Builder("huge", input_shape=(3, 4096, 4096))
    b.add("conv", "c", out_channels=65536)
    io.save(b.build(), tmp_path / "huge.json")
    return tmp_path / "huge.json"


def test_a_design_too_big_for_memory_is_a_clear_error(tmp_path):
    huge = huge_design_file(tmp_path)
    for args in (("export", str(huge), "--py", str(tmp_path / "h.py")),
                 ("export", str(huge), "--onnx", str(tmp_path / "h.onnx")),
                 ("check", str(huge))):
        out = cli(*args)
        assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr[-2000:]
        assert out.stderr.startswith("error: out of memory while building and checking the "
                                     "PyTorch module: 1,900,544 parameters need 7.6 MB"), args
        assert "GB of fp32 activations (at c/" in out.stderr
    assert not (tmp_path / "h.py").exists() and not (tmp_path / "h.onnx").exists()


def test_netron_opens_the_browser_on_the_consent_page(tmp_path):
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(0o755)
    env = {**os.environ, "BROWSER": str(browser)}
    assert cli("export", "squeezenet1_1", "--onnx", str(tmp_path / "m.onnx")).returncode == 0
    server = subprocess.Popen([sys.executable, "-m", "designer", "netron", str(tmp_path / "m.onnx"),
                               "--seconds", "20"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env)
    try:
        url = server.stdout.readline().split(" at ", 1)[1].split()[0]
        page = server.stdout.readline().split("open ", 1)[1].split()[0].rstrip(":")
        assert page != url and page.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(page, timeout=10) as reply:
            assert reply.headers["Set-Cookie"].startswith("consent=")
            assert f'location.replace("{url}")' in reply.read().decode()
        for _ in range(100):
            if opened.exists() and opened.read_text().strip():
                break
            time.sleep(0.1)
        assert opened.read_text().strip() == page
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_netron_leaves_no_temporary_folder_behind(tmp_path):
    """A design is exported to a temporary folder and served from a private one: both go when
    the command stops, by its time limit or by SIGTERM."""
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    out = subprocess.run([sys.executable, "-m", "designer", "netron", "squeezenet1_1",
                          "--no-browser", "--seconds", "0.5"], check=False, capture_output=True,
                         text=True, timeout=300, env=env)
    assert out.returncode == 0, out.stderr
    assert list(temp.glob("convsketch*")) == []
    server = subprocess.Popen([sys.executable, "-m", "designer", "netron", "squeezenet1_1",
                               "--no-browser", "--seconds", "60"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert server.stdout.readline().startswith("Netron is serving squeezenet1_1")
        assert [p.name[:18] for p in temp.glob("convsketch*")] == ["convsketch-netron-"]
        server.terminate()
        server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
    assert list(temp.glob("convsketch*")) == []


def test_the_readme_says_what_export_and_check_print(tmp_path):
    """The README's sentence on what `export` and `check` print, checked against their output."""
    readme = " ".join(Path("README.md").read_text().split())
    assert ("`export` prints, for each file, the check's rows (parameters, MACs, output shape, "
            "wiring) and, for ONNX, the node count and onnxruntime's largest difference from "
            "torch; `check` prints the same rows, then the counters below.") in readme
    export = cli("export", "squeezenet1_1", "--py", str(tmp_path / "m.py"), "--onnx",
                 str(tmp_path / "m.onnx"))
    check = cli("check", "squeezenet1_1")
    assert export.returncode == 0 and check.returncode == 0, export.stderr + check.stderr
    rows = ("parameters ", "MACs ", "output shape ", "wiring ")
    for row in rows:
        assert export.stdout.count(f"\n{row}") == 2 and f"\n{row}" in check.stdout, row
    assert " nodes, onnx.checker passed, onnxruntime matches torch (max |Δ| " in export.stdout
    assert check.stdout.index("wiring") < check.stdout.index("fvcore")
