import gc
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """A Qt test runs with the cyclic garbage collector off and collects once it is over.

    Widgets held in reference cycles are otherwise reclaimed whenever the collector fires, even
    inside Qt's event dispatch or in the middle of building the next window, and that crashes the
    process (seen as a segfault 'Garbage-collecting' in pyqtgraph under load; the same cause as
    equinor/ert#14421). Between tests no Qt event is being dispatched, so collecting there is safe.
    """
    if "qtbot" not in item.fixturenames:
        return (yield)
    gc.disable()
    try:
        return (yield)
    finally:
        gc.enable()
        gc.collect()
