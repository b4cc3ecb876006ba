"""Render a Netron page in QtWebEngine offscreen and count the graph's drawn nodes.

Run as ``python -m designer.export.netron_probe FILE.onnx [OUT.png] [--via-consent-page |
--no-cookie]``: prints, as JSON, the number of ``g.node`` elements once the layout is stable
(Netron lays out in a web worker; ``0`` after the time limit) and whether Netron's consent
dialog is showing. By default the cookie is set in the view's store as the app does; with
``--via-consent-page`` nothing is preset and the view opens the consent page as the command line
has a browser do; ``--no-cookie`` loads Netron bare. Tests use it in a subprocess so QtWebEngine
gets a fresh application.
"""
from __future__ import annotations

import json
import os
import sys

STATE_JS = ("JSON.stringify([document.querySelectorAll('g.node').length, "
            "document.body.classList.contains('notification') && "
            "document.getElementById('message-text').innerText.includes('cookies')])")


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
    from PySide6.QtCore import QTimer, QUrl
    from PySide6.QtNetwork import QNetworkCookie
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QApplication

    from .netron_server import consent_cookie, consent_page, serve, stop

    mode = next((a for a in argv if a.startswith("--")), "--cookie")
    argv = [a for a in argv if not a.startswith("--")]
    app = QApplication.instance() or QApplication([])
    url = serve(argv[0])
    view = QWebEngineView()
    view.resize(1200, 900)
    if mode == "--cookie":
        name, value = consent_cookie()
        cookie = QNetworkCookie(name.encode(), value.encode())
        cookie.setDomain("127.0.0.1")
        cookie.setPath("/")
        view.page().profile().cookieStore().setCookie(cookie, QUrl(url))
    else:
        view.page().profile().cookieStore().deleteAllCookies()
    view.load(QUrl(consent_page(url) if mode == "--via-consent-page" else url))
    view.show()
    counts: list[int] = []
    dialogs: list[bool] = []

    def record(state) -> None:
        nodes, dialog = json.loads(state) if state else (0, False)
        counts.append(int(nodes))
        dialogs.append(bool(dialog))

    def poll() -> None:
        view.page().runJavaScript(STATE_JS, 0, record)
        settled = len(counts) >= 3 and counts[-1] == counts[-2] == counts[-3]
        if (settled and counts[-1] > 0) or (len(dialogs) >= 3 and all(dialogs[-3:])):
            if len(argv) > 1:
                view.grab().save(argv[1])
            app.quit()
    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(250)
    QTimer.singleShot(60_000, app.quit)
    app.exec()
    stop(url)
    print(json.dumps({"nodes": counts[-1] if counts else 0,
                      "consent_dialog": bool(dialogs and dialogs[-1])}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
