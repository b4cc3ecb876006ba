"""A tab showing an exported ONNX graph in Netron, served on 127.0.0.1 and embedded with
QtWebEngine (the system browser when QtWebEngine is missing).

Netron asks for cookie consent on every load when offline; the view sets Netron's ``consent``
cookie before loading, so users go straight to the graph (this accepts Netron's consent to its
anonymous usage statistics and error reports, which it sends only when online). QtWebEngine is imported only when the
first graph is shown, so the window opens without it.
"""
from __future__ import annotations

import atexit
import os
import weakref
import webbrowser
from pathlib import Path

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ..style import MUTED


def web_engine_available() -> bool:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
    try:
        import PySide6.QtWebEngineWidgets  # noqa: F401
    except ImportError:
        return False
    return True


_views: weakref.WeakSet = weakref.WeakSet()

CONSENT_NOTE = ("ConvSketch skips Netron's cookie dialog by setting its consent cookie: this "
                "accepts Netron's analytics consent (anonymous usage statistics and error reports, "
                "sent only when online).")


@atexit.register
def _release_views() -> None:
    """Delete the web views (and their pages) before Qt releases the web profile at exit:
    a page that outlives its profile crashes the process on the way out."""
    for view in list(_views):
        view.stop()
        if shiboken6.isValid(view.web):
            shiboken6.delete(view.web)


class NetronView(QWidget):
    """Netron on one ONNX file at a time; ``show_file`` again serves and loads the new file.
    ``mark_outdated`` says the design has changed since; the button asks for a new export."""

    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        from PySide6.QtWebEngineWidgets import QWebEngineView

        self.url: str | None = None
        self.path: Path | None = None
        self.web = QWebEngineView()
        self.note = QLabel()
        self.consent = QLabel(CONSENT_NOTE)
        self.consent.setWordWrap(True)
        self.consent.setStyleSheet(f"color: {MUTED.name()};")
        self.refresh = QPushButton("Export again")
        self.refresh.clicked.connect(self.export_requested)
        bar = QHBoxLayout()
        bar.addWidget(self.note, 1)
        bar.addWidget(self.refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.web, 1)
        layout.addWidget(self.consent)
        _views.add(self)

    def show_file(self, path: Path) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtNetwork import QNetworkCookie

        from designer.export.netron_server import consent_cookie

        self.url = serve_replacing(self.url, path)
        self.path = path
        name, value = consent_cookie()
        cookie = QNetworkCookie(name.encode(), value.encode())
        cookie.setDomain("127.0.0.1")
        cookie.setPath("/")
        self.web.page().profile().cookieStore().setCookie(cookie, QUrl(self.url))
        self.web.load(QUrl(self.url))
        self.note.setText(f"{path.name}, the design as last exported")
        self.refresh.setEnabled(True)

    def mark_outdated(self) -> None:
        self.note.setText("The design has changed since this export: export again to refresh.")

    def stop(self) -> None:
        if self.url:
            from designer.export.netron_server import stop

            stop(self.url)
            self.url = None


def serve_replacing(old_url: str | None, path: Path) -> str:
    """Stop serving ``old_url`` (if any) and serve ``path``; returns the new URL."""
    from designer.export.netron_server import serve, stop

    if old_url:
        stop(old_url)
    return serve(path)


def open_in_browser(old_url: str | None, path: Path) -> str:
    """The fallback without QtWebEngine: serve ``path`` and open the system browser on the
    consent page, which sets Netron's cookie and forwards to the graph."""
    from designer.export.netron_server import consent_page

    url = serve_replacing(old_url, path)
    webbrowser.open(consent_page(url))
    return url
