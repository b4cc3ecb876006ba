"""Presets: designs shipped as JSON under ``resources/presets``, opened by name or by path."""
from __future__ import annotations

from pathlib import Path

from . import io
from .design import Design


def resource_dir(folder: str) -> Path:
    """``resources/<folder>`` of the source tree, or of an installed copy, where the resources
    are package data of ``designer.resources`` (see pyproject.toml)."""
    here = Path(__file__).resolve()
    tree = here.parents[2] / "resources" / folder
    return tree if tree.is_dir() else here.parents[1] / "resources" / folder


PRESET_DIR = resource_dir("presets")


def names() -> list[str]:
    return sorted(p.stem for p in PRESET_DIR.glob("*.json"))


def load_preset(name: str) -> Design:
    path = PRESET_DIR / f"{name}.json"
    if not path.is_file():
        raise io.DesignFileError(None, None, f"no preset named {name!r}; presets: "
                                             f"{', '.join(names())}")
    return io.load(path)


def open_design(spec: str) -> Design:
    """A preset name, or a path to a design file."""
    if not spec.strip():
        raise io.DesignFileError(None, None, "no design given: name a preset or a .json file")
    if spec.endswith(".json") or "/" in spec or Path(spec).exists():
        return io.load(spec)
    return load_preset(spec)
