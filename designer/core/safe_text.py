"""Text that came from a file (names, values, messages), made safe to show in a terminal or a
widget: control, format and bidi characters escaped, long quoted values cut, long lines capped.
The command line and the app show the same text through this one function."""
from __future__ import annotations

import re

from . import io

LINE_LIMIT = 500
_UNSAFE = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f"
                     "\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]|\r(?!\n)")
_LONG_QUOTED = re.compile(rf"'[^'\s]{{{io.SHOWN_CHARS - 1},}}'|\"[^\"\s]{{{io.SHOWN_CHARS - 1},}}\"")


def escape_controls(text: str) -> str:
    """Control, format and bidi characters and lone surrogates written as ``\\x1b``,
    ``\\u202e``: a name cannot recolour the terminal, retitle its window (OSC), move the cursor
    (a bare CR) or reverse the text after it. Only a newline (LF or CR LF) passes. Every line the command
    line prints goes through this (:mod:`designer.cli.terminal`)."""
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                       else f"\\u{ord(m.group()):04x}", text)


def safe_text(text: str) -> str:
    """Text that came from a file, made safe to print: :func:`escape_controls`, a quoted word
    longer than a shown value cut, each line capped at ``LINE_LIMIT`` characters."""
    text = escape_controls(text)
    text = _LONG_QUOTED.sub(lambda m: m.group()[:io.SHOWN_CHARS - 2] + "…" + m.group()[0], text)
    return "\n".join(line if len(line) <= LINE_LIMIT
                     else f"{line[:LINE_LIMIT]}… ({len(line) - LINE_LIMIT:,} more characters)"
                     for line in text.split("\n"))
