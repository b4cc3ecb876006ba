"""Where ConvSketch keeps per-user files (recent files, recoveries, this machine's device
profile), found without Qt so the command line agrees with the app: ``$CONVSKETCH_HOME`` if set,
else the folder Qt's ``QStandardPaths.AppDataLocation`` names for organisation and application
"ConvSketch" (``~/.local/share/ConvSketch/ConvSketch`` on Linux, under ``%APPDATA%`` on Windows,
``~/Library/Application Support`` on macOS)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

APP = Path("ConvSketch") / "ConvSketch"


def folder() -> Path:
    """The settings folder, which may not exist yet (reading never creates it)."""
    env = os.environ.get("CONVSKETCH_HOME")
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or "~/AppData/Roaming").expanduser() / APP
    if sys.platform == "darwin":
        return Path("~/Library/Application Support").expanduser() / APP
    return Path(os.environ.get("XDG_DATA_HOME") or "~/.local/share").expanduser() / APP
