"""Netron: served on 127.0.0.1 only, a busy port falls back to another, and a real browser engine
(QtWebEngine, offscreen) renders the graph with as many nodes as the ONNX file has."""
import socket
import subprocess
import sys
import urllib.request

import onnx

from designer.core.presets import load_preset
from designer.export.netron_server import free_port, serve, stop
from designer.export.onnx_export import export_onnx


def test_busy_port_falls_back_and_binds_loopback_only(tmp_path):
    path = tmp_path / "m.onnx"
    export_onnx(load_preset("squeezenet1_1"), path)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        assert free_port(taken) != taken
        url = serve(path, taken)
    try:
        assert url.startswith("http://127.0.0.1:") and not url.endswith(f":{taken}/")
        page = urllib.request.urlopen(url, timeout=10).read()
        assert b"netron" in page.lower()
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        addresses = {a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None,
                                                         socket.AF_INET)} - {"127.0.0.1"}
        for address in addresses:
            with socket.socket() as probe:
                probe.settimeout(1)
                assert probe.connect_ex((address, port)) != 0, address
    finally:
        stop(url)


def test_netron_renders_every_node(tmp_path):
    path = tmp_path / "m.onnx"
    export_onnx(load_preset("squeezenet1_1"), path)
    graph = onnx.load(str(path)).graph
    drawn = [n for n in graph.node if n.op_type != "Constant"]
    out = subprocess.run([sys.executable, "-m", "designer.export.netron_probe", str(path),
                          str(tmp_path / "netron.png")], check=False, capture_output=True, text=True,
                         timeout=120)
    count = int(out.stdout.strip().splitlines()[-1])
    assert count == len(drawn) + len(graph.input) + len(graph.output), out.stderr[-2000:]
    assert (tmp_path / "netron.png").stat().st_size > 10_000
