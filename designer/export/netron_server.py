"""Serving an ONNX file with Netron on 127.0.0.1, on a free port, for a browser or the app's view.

Netron's page asks for cookie consent on every load when offline (its own cookie cannot be stored
on 127.0.0.1). The app's embedded view sets the ``consent`` cookie first (:func:`consent_cookie`);
a system browser is sent to a tiny page on the same host (:func:`consent_page`) that sets the
cookie and forwards to Netron: cookies ignore the port, so Netron reads it. Setting it accepts
Netron's consent to its error reports and anonymous usage statistics, sent only when online.
"""
from __future__ import annotations

import json
import os
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HOST = "127.0.0.1"
DEFAULT_PORT = 8090


def port_is_free(port: int, host: str = HOST) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
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


def serve(path: str | os.PathLike, port: int | None = None) -> str:
    """Serve ``path`` with Netron on 127.0.0.1 only; returns the page's URL."""
    import logging

    import netron

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(2, "no such file", str(path))
    logging.getLogger("netron").setLevel(logging.WARNING)
    host, bound = netron.start(str(path), address=(HOST, free_port(port or DEFAULT_PORT)),
                               browse=False)
    return f"http://{host}:{bound}/"


def stop(url: str) -> None:
    """Stop serving ``url`` (and its consent page, if one was made)."""
    import netron

    page = _consent_pages.pop(url, None)
    if page is not None:
        page.shutdown()
        page.server_close()
    host, port = url.split("//", 1)[1].rstrip("/").rsplit(":", 1)
    netron.stop((host, int(port)))


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
        def do_GET(self) -> None:
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
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _consent_pages[netron_url] = server
    return f"http://{HOST}:{server.server_address[1]}/"


def consent_cookie() -> tuple[str, str]:
    """The cookie (name, value) Netron reads to skip its consent dialog: when consent was given,
    in milliseconds since the epoch."""
    return "consent", str(int(time.time() * 1000))
