"""Example device profiles shipped under ``resources/devices``: datasheet figures (fp32 peak and
memory bandwidth) with their sources, for devices a design may target but this machine is not.
They are uncalibrated: ``estimate --device NAME`` turns them into a roofline lower bound
(:func:`designer.core.latency.datasheet_rates`); a measured profile comes from running
``calibrate --out`` on the device itself."""
from __future__ import annotations

from pathlib import Path

from .latency import DeviceProfile, read_profile
from .presets import resource_dir

DEVICE_DIR = resource_dir("devices")


def example_names() -> list[str]:
    return sorted(p.stem for p in DEVICE_DIR.glob("*.json"))


def example_path(name: str) -> Path | None:
    path = DEVICE_DIR / f"{name}.json"
    return path if path.is_file() else None


def example_profile(name: str) -> DeviceProfile:
    path = example_path(name)
    if path is None:
        raise KeyError(f"no example device named {name!r}; examples: {', '.join(example_names())}")
    return read_profile(path)
