"""Serving an ONNX file with Netron on 127.0.0.1, on a free port, for a browser or the app's view.

Netron's page asks for cookie consent on every load when offline; the app's embedded view sets
the ``consent`` cookie first (:func:`consent_cookie`) so users go straight to the graph.
"""
from __future__ import annotations

import os
import socket
import time
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
    import netron

    host, port = url.split("//", 1)[1].rstrip("/").rsplit(":", 1)
    netron.stop((host, int(port)))


def consent_cookie() -> tuple[str, str]:
    """The cookie (name, value) Netron reads to skip its consent dialog: when consent was given,
    in milliseconds since the epoch."""
    return "consent", str(int(time.time() * 1000))
