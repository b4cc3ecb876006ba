"""The window a start shows fits the screen it opens on: on a laptop's 1366×768 the default
1500×940 would put the status bar, the inspector and the dtype chooser off screen (seen under
Xvfb); there it opens maximised instead (pytest-qt, offscreen: an 800×800 screen)."""
from designer.ui.shell.app import start


def test_a_window_too_big_for_the_screen_opens_maximised(qtbot):
    w = start("resnet18_layers")
    qtbot.addWidget(w)
    w.files.may_discard = lambda: True
    screen = w.screen().availableGeometry()
    assert w.isMaximized()
    assert w.width() <= max(screen.width(), w.minimumSizeHint().width())
    assert w.height() <= max(screen.height(), w.minimumSizeHint().height())
