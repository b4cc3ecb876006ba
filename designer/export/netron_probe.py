"""Render a Netron page in QtWebEngine offscreen and count the graph's drawn nodes.

Run as ``python -m designer.export.netron_probe FILE.onnx [OUT.png]``: prints the number of
``g.node`` elements once the layout is stable (Netron lays out in a web worker), or ``0`` after
the time limit. Tests use it in a subprocess so QtWebEngine gets a fresh application.
"""
from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
    from PySide6.QtCore import QTimer, QUrl
    from PySide6.QtNetwork import QNetworkCookie
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QApplication

    from .netron_server import consent_cookie, serve, stop

    app = QApplication.instance() or QApplication([])
    url = serve(argv[0])
    view = QWebEngineView()
    view.resize(1200, 900)
    name, value = consent_cookie()
    cookie = QNetworkCookie(name.encode(), value.encode())
    cookie.setDomain("127.0.0.1")
    cookie.setPath("/")
    view.page().profile().cookieStore().setCookie(cookie, QUrl(url))
    view.load(QUrl(url))
    view.show()
    counts: list[int] = []

    def poll() -> None:
        view.page().runJavaScript("document.querySelectorAll('g.node').length", 0,
                                  lambda n: counts.append(int(n or 0)))
        if len(counts) >= 3 and counts[-1] > 0 and counts[-1] == counts[-2] == counts[-3]:
            if len(argv) > 1:
                view.grab().save(argv[1])
            app.quit()
    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(250)
    QTimer.singleShot(60_000, app.quit)
    app.exec()
    stop(url)
    print(counts[-1] if counts else 0)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
