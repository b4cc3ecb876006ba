"""Netron serves a private copy of its model alone, answers only to its own loopback host, and
removes its folder when it stops (issue 13: a model's folder held secrets Netron served)."""
import http.client
import socket
import urllib.request
from pathlib import Path

import pytest

from designer.export.netron_server import port_is_free, serve, stop


def get(url: str, path: str, host: str | None = None) -> tuple[int, bytes]:
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        reply = connection.getresponse()
        return reply.status, reply.read()
    finally:
        connection.close()


@pytest.fixture
def model_beside_secrets(tmp_path):
    (tmp_path / "secret.txt").write_text("the password")
    (tmp_path / "sub" / ".ssh").mkdir(parents=True)
    (tmp_path / "sub" / ".ssh" / "id_rsa").write_text("PRIVATE KEY")
    model = tmp_path / "m.onnx"
    model.write_bytes(b"\x08\x07not really onnx")
    return model


def test_only_the_model_is_served_and_its_folder_goes_at_stop(model_beside_secrets):
    url = serve(model_beside_secrets)
    try:
        port = url.rstrip("/").rsplit(":", 1)[1]
        assert get(url, "/data/m.onnx") == (200, model_beside_secrets.read_bytes())
        for secret in ("/data/secret.txt", "/data/sub/.ssh/id_rsa", "/data/../secret.txt",
                       "/data/%2e%2e/secret.txt"):
            status, body = get(url, secret)
            assert status == 404 and b"password" not in body and b"PRIVATE" not in body, secret
        assert get(url, "/data/m.onnx", host=f"localhost:{port}")[0] == 200
        assert b"netron" in urllib.request.urlopen(url, timeout=10).read().lower()
        folders = [p for p in Path(__import__("tempfile").gettempdir()).glob("convsketch-netron-*")
                   if (p / "m.onnx").exists()
                   and (p / "m.onnx").stat().st_ino == model_beside_secrets.stat().st_ino]
        assert len(folders) == 1 and sorted(p.name for p in folders[0].iterdir()) == ["m.onnx"]
    finally:
        stop(url)
    assert not folders[0].exists()
    assert model_beside_secrets.exists()


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1:1", "localhost", "",
                                  "127.0.0.1.evil.example:{port}"])
def test_a_request_to_another_host_name_is_refused(model_beside_secrets, host):
    """DNS rebinding: a page on evil.example, its name re-pointed at 127.0.0.1, sends its own
    name as Host."""
    url = serve(model_beside_secrets)
    try:
        port = url.rstrip("/").rsplit(":", 1)[1]
        status, body = get(url, "/data/m.onnx", host=host.format(port=port))
        assert status == 421 and b"not really onnx" not in body
        assert get(url, "/", host=host.format(port=port))[0] == 421
    finally:
        stop(url)


def test_a_hostile_file_name_is_not_served_under_its_own_name(tmp_path):
    """Netron writes the model's name into its page unescaped: only a plain name is kept."""
    model = tmp_path / 'x"><img src=x onerror=alert(1)>.onnx'
    model.write_bytes(b"model")
    url = serve(model)
    try:
        page = get(url, "/")[1]
        assert b"onerror" not in page and get(url, "/data/model.onnx") == (200, b"model")
    finally:
        stop(url)


def test_a_port_lately_used_by_a_connection_is_free():
    """After a server closes a connection first, its port sits in TIME_WAIT; a server (which
    sets SO_REUSEADDR) can listen there again, so the port is not reported busy."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = listener.accept()
    accepted.close()
    listener.close()
    client.recv(1)
    client.close()
    assert port_is_free(port)
