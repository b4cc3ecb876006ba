"""Everything a command prints passes one escaping function on its way out.

Names, descriptions and messages come from design files; a name holding ``ESC [2J`` would clear
the user's screen, an OSC sequence retitle the window, a bare CR overwrite the line, U+202E
reverse it. Rather than each command remembering to escape each value, :func:`escaped_output`
puts :func:`~designer.core.safe_text.escape_controls` between the commands and the terminal for
both stdout and stderr; only a progress line's own carriage return goes round it
(:func:`progress_line`).
"""
from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from designer.core.safe_text import escape_controls


class EscapingStream(io.TextIOBase):
    """A text stream that writes ``escape_controls(text)`` to the stream it wraps."""

    def __init__(self, raw):
        super().__init__()
        self.raw = raw
        self._held_cr = False

    def write(self, text: str) -> int:
        """A CR that ends one write is held back: with an LF next it is half of a CSV line end,
        otherwise it is escaped."""
        length = len(text)
        if self._held_cr:
            text, self._held_cr = "\r" + text, False
        if text.endswith("\r"):
            text, self._held_cr = text[:-1], True
        self.raw.write(escape_controls(text))
        return length

    def flush(self) -> None:
        if self._held_cr:
            self._held_cr = False
            self.raw.write(escape_controls("\r"))
        self.raw.flush()

    def isatty(self) -> bool:
        return self.raw.isatty()

    def fileno(self) -> int:
        return self.raw.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self.raw, "encoding", "utf-8")


@contextmanager
def escaped_output() -> Iterator[None]:
    """Route ``sys.stdout`` and ``sys.stderr`` through :class:`EscapingStream` for the block."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapingStream(saved[0]), EscapingStream(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def progress_line(text: str) -> None:
    """Overwrite the terminal's current line on stderr with ``text`` (escaped): the one carriage
    return the command line means to send."""
    stream = getattr(sys.stderr, "raw", sys.stderr)
    stream.write("\r" + escape_controls(text))
    stream.flush()
