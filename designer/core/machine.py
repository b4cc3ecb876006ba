"""What this machine is, read without torch: its CPU model and the installed torch version (a
device profile is valid only for the CPU, thread count and torch it was measured with)."""
from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def torch_version() -> str:
    """The installed torch's version without importing it ("" when torch is not installed)."""
    try:
        return metadata.version("torch")
    except metadata.PackageNotFoundError:
        return ""
