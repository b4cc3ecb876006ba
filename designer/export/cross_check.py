"""Counting the exported module with fvcore, ptflops and thop (where installed), to show that
ConvSketch's figure and theirs differ only by convention (designer.core.conventions)."""
from __future__ import annotations

import contextlib
import copy
import io
import logging
import warnings
from dataclasses import dataclass


@dataclass(frozen=True)
class ToolCount:
    tool: str
    total: int | None
    error: str | None = None


def count_with(tool: str, model, input_shape: tuple[int, ...]) -> ToolCount:
    """One tool's total for ``model`` on a batch-1 input, or why it could not count."""
    import torch

    x = torch.randn(1, *input_shape)
    model = copy.deepcopy(model).eval()
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), \
                contextlib.redirect_stderr(io.StringIO()):
            warnings.simplefilter("ignore")
            logging.disable(logging.WARNING)
            if tool == "fvcore":
                from fvcore.nn import FlopCountAnalysis
                f = FlopCountAnalysis(model, x)
                f.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
                return ToolCount(tool, int(f.total()))
            if tool == "ptflops":
                from ptflops import get_model_complexity_info
                total, _ = get_model_complexity_info(model, tuple(input_shape), as_strings=False,
                                                     print_per_layer_stat=False)
                return ToolCount(tool, int(total))
            if tool == "thop":
                from thop import profile
                total, _ = profile(model, inputs=(x,), verbose=False)
                return ToolCount(tool, int(total))
    except ImportError:
        return ToolCount(tool, None, "not installed")
    except Exception as err:  # noqa: BLE001 - a failing third-party counter must not stop the others
        return ToolCount(tool, None, f"failed: {type(err).__name__}: {err}")
    finally:
        logging.disable(logging.NOTSET)
    raise ValueError(f"unknown tool {tool}")
