"""A child process ConvSketch starts (the timing worker, the model-import worker, the app's
calibration) must not outlive whoever started it: a killed command line or a crashed app would
leave it timing, or running a model file's code, for ever.

The parent starts the child with :func:`child_env` and a stdin pipe it keeps open; the child calls
:func:`die_with_parent` first thing. On Linux the kernel then kills the child when its parent goes
(``PR_SET_PDEATHSIG``); everywhere a watchdog thread ends it when that stdin reaches end of file,
which happens however the parent ends. Qt-free and torch-free.
"""
from __future__ import annotations

import os
import sys
import threading

PARENT_ENV = "CONVSKETCH_PARENT_PID"
EXIT_ORPHANED = 4


def child_env(base: dict | None = None) -> dict:
    """The environment for a child that should die with this process."""
    return {**(os.environ if base is None else base), PARENT_ENV: str(os.getpid())}


def die_with_parent() -> None:
    """Tie this process's life to its parent's (see the module's docstring). Call it after
    reading what the parent sent on stdin, if anything: the watchdog reads the rest."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)   # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    parent = os.environ.get(PARENT_ENV)
    if parent and parent.isdigit() and os.getppid() != int(parent):
        os._exit(EXIT_ORPHANED)                      # the parent died before prctl ran

    def watch_stdin() -> None:
        """Reads file descriptor 0 itself: a thread blocked in ``sys.stdin``'s buffered read
        holds its lock, and the interpreter aborts at exit waiting for it."""
        try:
            while os.read(0, 4096):
                pass
        except OSError:
            pass
        os._exit(EXIT_ORPHANED)
    threading.Thread(target=watch_stdin, daemon=True, name="parent watchdog").start()
