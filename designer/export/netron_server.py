"""Serving an ONNX file with Netron on 127.0.0.1, on a free port, for a browser or the app's view.

Netron's page asks for cookie consent on every load when offline (its own cookie cannot be stored
on 127.0.0.1). The app's embedded view sets the ``consent`` cookie first (:func:`consent_cookie`);
a system browser is sent to a tiny page on the same host (:func:`consent_page`) that sets the
cookie and forwards to Netron: cookies ignore the port, so Netron reads it. Setting it accepts
Netron's consent to its error reports and anonymous usage statistics, sent only when online.

Netron serves every file beside its model; each server here gets a private folder holding only
its model, and both servers answer only requests addressed to their own loopback host and port.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOST = "127.0.0.1"
DEFAULT_PORT = 8090


def port_is_free(port: int, host: str = HOST) -> bool:
    """Whether a server could listen on ``port`` now. ``SO_REUSEADDR`` as a server sets it: a
    connection lately closed (TIME_WAIT) does not make the port busy."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def free_port(preferred: int | None = DEFAULT_PORT, host: str = HOST) -> int:
    """``preferred`` if nothing listens there, else a port the system picks."""
    if preferred and port_is_free(preferred, host):
        return preferred
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass
class _Served:
    server: ThreadingHTTPServer
    folder: Path


_served: dict[str, _Served] = {}
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,80}\.onnx")


def serve(path: str | os.PathLike, port: int | None = None) -> str:
    """Serve ``path`` with Netron on 127.0.0.1 only; returns the page's URL.

    Netron serves every file in its model's folder (that is how it finds external data), so the
    model is linked (or copied) alone into a fresh private folder, removed by :func:`stop`, and
    the server answers only requests addressed to ``127.0.0.1:PORT`` or ``localhost:PORT``: a web
    page that rebinds its own DNS name to 127.0.0.1 sends its own name as ``Host``."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(2, "no such file", str(path))
    folder = Path(tempfile.mkdtemp(prefix="convsketch-netron-"))
    try:
        served = folder / (path.name if _SAFE_NAME.fullmatch(path.name) else "model.onnx")
        _private_copy(path, served)
        server = ThreadingHTTPServer((HOST, free_port(port or DEFAULT_PORT)),
                                     _handler_for(served))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    server.daemon_threads = True
    server.RequestHandlerClass.allowed_hosts = _allowed_hosts(server.server_address[1])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://{HOST}:{server.server_address[1]}/"
    _served[url] = _Served(server, folder)
    return url


def _private_copy(source: Path, target: Path) -> None:
    """A hard link when the file system allows one (no copy of a large model), else a copy."""
    try:
        os.link(source, target, follow_symlinks=True)
    except OSError:
        shutil.copyfile(source, target)


def _allowed_hosts(port: int) -> frozenset[str]:
    return frozenset({f"{HOST}:{port}", f"localhost:{port}"})


def _handler_for(model: Path) -> type:
    """Netron's own request handler, given its own model (Netron keeps the model on the handler
    class, so two servers made by ``netron.start`` share the last one) and refusing any request
    whose ``Host`` is not this server's loopback address."""
    import logging

    from netron import server as netron_server

    logging.getLogger("netron").setLevel(logging.WARNING)
    content = netron_server._ContentProvider(None, str(model), str(model), model.name)

    class Handler(netron_server._HTTPRequestHandler):
        allowed_hosts: frozenset[str] = frozenset()

        def do_GET(self) -> None:
            if self.headers.get("Host", "") not in self.allowed_hosts:
                self.send_error(421, "Misdirected Request: this server answers only to "
                                     "127.0.0.1 and localhost")
                return
            super().do_GET()

        def log_message(self, *args) -> None:
            pass
    Handler.content = content
    return Handler


def stop(url: str) -> None:
    """Stop serving ``url`` (and its consent page, if one was made) and remove its private
    folder."""
    page = _consent_pages.pop(url, None)
    if page is not None:
        page.shutdown()
        page.server_close()
    served = _served.pop(url, None)
    if served is not None:
        served.server.shutdown()
        served.server.server_close()
        shutil.rmtree(served.folder, ignore_errors=True)


CONSENT_DAYS = 30
_consent_pages: dict[str, ThreadingHTTPServer] = {}


def consent_page(netron_url: str) -> str:
    """Serve, on 127.0.0.1 and another free port, a page that sets Netron's ``consent`` cookie
    and forwards to ``netron_url``; returns its URL (open it in a browser instead of Netron's).
    It stops with :func:`stop` (``netron_url``)."""
    if netron_url in _consent_pages:
        host, port = _consent_pages[netron_url].server_address[:2]
        return f"http://{host}:{port}/"
    target = json.dumps(netron_url)

    class Handler(BaseHTTPRequestHandler):
        allowed_hosts: frozenset[str] = frozenset()

        def do_GET(self) -> None:
            if self.headers.get("Host", "") not in self.allowed_hosts:
                self.send_error(421, "Misdirected Request")
                return
            name, value = consent_cookie()
            body = ("<!doctype html><meta charset='utf-8'><title>Netron</title><script>"
                    f"document.cookie = '{name}=' + Date.now() + '; path=/; max-age="
                    f"{CONSENT_DAYS * 86400}'; location.replace({target});</script>"
                    f"<p>Opening <a href={target}>Netron</a>…</p>").encode()
            self.send_response(200)
            self.send_header("Set-Cookie", f"{name}={value}; Path=/; "
                                           f"Max-Age={CONSENT_DAYS * 86400}; SameSite=Lax")
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass
    server = ThreadingHTTPServer((HOST, free_port(None)), Handler)
    server.daemon_threads = True
    Handler.allowed_hosts = _allowed_hosts(server.server_address[1])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _consent_pages[netron_url] = server
    return f"http://{HOST}:{server.server_address[1]}/"


def consent_cookie() -> tuple[str, str]:
    """The cookie (name, value) Netron reads to skip its consent dialog: when consent was given,
    in milliseconds since the epoch."""
    return "consent", str(int(time.time() * 1000))
