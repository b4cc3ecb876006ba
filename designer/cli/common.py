"""What every command that takes a design shares: the design argument, the scaling flags, and
turning every expected failure into a one-line message and an exit code, never a traceback."""
from __future__ import annotations

import argparse
import sys
from typing import Callable

from designer.core import io
from designer.core.analysis import Analysis, analyze, setting_problems
from designer.core.design import DTYPES, ROUNDINGS, Design
from designer.core.presets import open_design
from designer.core.scaling import rho_for_resolution


class CliError(Exception):
    """An expected failure: printed as ``error: message``, exit code ``code``."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def add_design_args(parser: argparse.ArgumentParser, many: bool = False) -> None:
    """DESIGN (a preset name or a .json file) and the scaling flags every command takes."""
    if many:
        parser.add_argument("designs", nargs="+", metavar="DESIGN",
                            help="preset names or design .json files")
    else:
        parser.add_argument("design", metavar="DESIGN", help="a preset name or a design .json file")
    each = ", or a comma list, one per design" if many else ""
    parser.add_argument("--alpha", type=str if many else float,
                        help=f"width multiplier α (0.25 to 1.5){each}")
    res = parser.add_mutually_exclusive_group()
    res.add_argument("--rho", type=str if many else float, help=f"resolution multiplier ρ{each}")
    res.add_argument("--resolution", type=str if many else int, metavar="N",
                     help=f"input resolution in pixels (sets ρ = N / the design's height){each}")
    parser.add_argument("--dtype", choices=sorted(DTYPES), help="activation dtype (default fp32)")
    parser.add_argument("--rounding", choices=ROUNDINGS, help="channel rounding under α")


def load_design(spec: str, args: argparse.Namespace) -> Design:
    """Open ``spec`` and apply the scaling flags; a bad flag value is a located CliError."""
    design = open_design(spec)
    if getattr(args, "alpha", None) is not None:
        design.alpha = args.alpha
    if getattr(args, "rho", None) is not None:
        design.rho = args.rho
    if getattr(args, "resolution", None) is not None:
        if args.resolution < 1:
            raise CliError(f"--resolution must be at least 1, got {args.resolution}")
        design.rho = rho_for_resolution(args.resolution, design.input_shape[1])
    for flag in ("dtype", "rounding"):
        if getattr(args, flag, None) is not None:
            setattr(design, flag, getattr(args, flag))
    bad = setting_problems(design)
    if bad:
        raise CliError("; ".join(f"--{p.field}: {p.message}" for p in bad))
    return design


def analyse_or_fail(design: Design, spec: str) -> Analysis:
    """The analysis, or a CliError (exit 1) listing every located problem."""
    result = analyze(design)
    if result.problems:
        lines = "\n".join(f"  {p}" for p in result.problems)
        raise CliError(f"{spec} is not a valid design:\n{lines}", code=1)
    return result


def run_guarded(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return func(args) or 0
    except CliError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.code
    except io.DesignFileError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"error: {err.filename or ''}: {err.strerror or err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
