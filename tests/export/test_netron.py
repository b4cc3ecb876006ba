"""Netron: served on 127.0.0.1 only, a busy port falls back to another, and a real browser engine
(QtWebEngine, offscreen) renders the graph with as many nodes as the ONNX file has."""
import json
import socket
import subprocess
import sys
import time
import urllib.request

import onnx

from designer.core.presets import load_preset
from designer.export.netron_server import consent_page, free_port, serve, stop
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


def probe(path, *args):
    out = subprocess.run([sys.executable, "-m", "designer.export.netron_probe", str(path), *args],
                         check=False, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def exported(tmp_path):
    path = tmp_path / "m.onnx"
    export_onnx(load_preset("squeezenet1_1"), path)
    graph = onnx.load(str(path)).graph
    drawn = [n for n in graph.node if n.op_type != "Constant"]
    return path, len(drawn) + len(graph.input) + len(graph.output)


def test_netron_renders_every_node(tmp_path):
    path, nodes = exported(tmp_path)
    seen = probe(path, str(tmp_path / "netron.png"))
    assert seen == {"nodes": nodes, "consent_dialog": False}
    assert (tmp_path / "netron.png").stat().st_size > 10_000


def test_the_consent_page_takes_a_browser_without_the_cookie_to_the_graph(tmp_path):
    """What the command line opens in the system browser: no cookie preset, the graph shows."""
    path, nodes = exported(tmp_path)
    assert probe(path, "--no-cookie") == {"nodes": 0, "consent_dialog": True}
    assert probe(path, "--via-consent-page") == {"nodes": nodes, "consent_dialog": False}


def test_the_consent_page_sets_the_cookie_and_forwards_to_netron(tmp_path):
    path, _ = exported(tmp_path)
    url = serve(path)
    page = consent_page(url)
    try:
        assert page != url and page.startswith("http://127.0.0.1:") and consent_page(url) == page
        with urllib.request.urlopen(page, timeout=10) as reply:
            cookie = reply.headers["Set-Cookie"]
            body = reply.read().decode()
        name, value = cookie.split(";")[0].split("=")
        assert name == "consent" and abs(int(value) / 1000 - time.time()) < 60
        assert f'location.replace("{url}")' in body
    finally:
        stop(url)
    with socket.socket() as probe_socket:
        assert probe_socket.connect_ex(("127.0.0.1", int(page.rstrip("/").rsplit(":", 1)[1]))) != 0
