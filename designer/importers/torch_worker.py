"""The process that runs a model file's ``build_model()``: ``python -m
designer.importers.torch_worker MODEL.py OUT.json [CxHxW]``.

The user's code runs here, never in the app or the command's own process, so a model that
hangs is stopped by its time limit (:mod:`.torch_graph`), or with its parent if that is killed
first (:mod:`designer.lifeline`), one that crashes takes only this process down, and whatever it prints stays out of the way. The result (the op graph, or the
located reason for refusing) is written as JSON to OUT.
"""
from __future__ import annotations

import dataclasses
import json
import runpy
import sys
import traceback
from pathlib import Path

from designer.lifeline import die_with_parent

from .graph import ImportRefused


def _located(path: Path, err: BaseException, what: str) -> str:
    """``FILE:LINE: in FUNC: Error: message`` at the deepest frame inside the user's file."""
    frames = [f for f in traceback.extract_tb(err.__traceback__)
              if Path(f.filename).resolve() == path.resolve()]
    where = f"{path}:{frames[-1].lineno}: in {frames[-1].name}" if frames else str(path)
    return f"{where}: {what} raised {type(err).__name__}: {err}"


def _input_shape(path: Path, namespace: dict, given: str | None) -> tuple[int, int, int]:
    if given:
        return tuple(int(d) for d in given.split("x"))
    shape = namespace.get("INPUT_SHAPE")
    if isinstance(shape, (tuple, list)) and len(shape) in (3, 4) \
            and all(isinstance(d, int) and d > 0 for d in shape):
        return tuple(shape[-3:])
    raise ImportRefused(f"{path}: defines no INPUT_SHAPE (C, H, W) or (1, C, H, W): give the "
                        "input size with --input CxHxW")


def build(path: Path):
    """Run the file and call its ``build_model()``: on the meta device first (no memory for
    weights), then, if the model refuses to be built there, normally."""
    import torch
    from torch import nn

    sys.path.insert(0, str(path.parent))
    try:
        namespace = runpy.run_path(str(path), run_name="__convsketch_import__")
    except BaseException as err:  # noqa: BLE001 - the user's code
        raise ImportRefused(_located(path, err, "running the file")) from None
    build_model = namespace.get("build_model")
    if not callable(build_model):
        raise ImportRefused(f"{path}: defines no build_model() function")
    try:
        with torch.device("meta"):
            model = build_model()
    except Exception:  # noqa: BLE001 - retried below, where its own error is reported
        try:
            model = build_model()
        except BaseException as err:  # noqa: BLE001
            raise ImportRefused(_located(path, err, "build_model()")) from None
    if not isinstance(model, nn.Module):
        raise ImportRefused(f"{path}: build_model() returned {type(model).__name__}, "
                            "not a torch.nn.Module")
    return model, namespace


def main(argv: list[str]) -> int:
    path, out = Path(argv[0]), Path(argv[1])
    die_with_parent()
    try:
        import torch

        from .torch_trace import graph_from_module

        torch.set_num_threads(1)
        model, namespace = build(path)
        shape = _input_shape(path, namespace, argv[2] if len(argv) > 2 else None)
        graph = graph_from_module(model, shape, str(path))
        result = {"graph": dataclasses.asdict(graph)}
    except ImportRefused as err:
        result = {"error": str(err)}
    except BaseException as err:  # noqa: BLE001 - reported, never a traceback
        result = {"error": _located(path, err, "importing the model")}
    out.write_text(json.dumps(result, default=list))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
