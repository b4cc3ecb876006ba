"""What every command that takes a design shares: the design argument, the scaling flags, and
turning every expected failure into a one-line message and an exit code, never a traceback."""
from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable

from designer import extras
from designer.core import io
from designer.core.analysis import Analysis, analyze, setting_problems
from designer.core.design import DTYPES, ROUNDINGS, Design
from designer.core.presets import open_design
from designer.core.safe_text import safe_text
from designer.core.scaling import RHO_RANGE, rho_for_resolution


class CliError(Exception):
    """An expected failure: printed as ``error: message``, exit code ``code``."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def clip(text: str, width: int) -> str:
    """A name for a table cell: printable, and at most ``width`` characters."""
    text = safe_text(text)
    return text if len(text) <= width else text[:width - 1] + "…"


def add_design_args(parser: argparse.ArgumentParser, many: bool = False, scaling: bool = True,
                    design_help: str = "a preset name or a design .json file") -> None:
    """DESIGN (a preset name or a .json file) and the scaling flags every command takes;
    ``scaling=False`` leaves out --alpha, --rho and --resolution for a command that sets them
    itself (sweep), so they are refused rather than silently ignored."""
    if many:
        parser.add_argument("designs", nargs="+", metavar="DESIGN",
                            help="preset names or design .json files")
    else:
        parser.add_argument("design", metavar="DESIGN", help=design_help)
    each = ", or a comma list, one per design" if many else ""
    if scaling:
        parser.add_argument("--alpha", type=str if many else float,
                            help=f"width multiplier α (0.25 to 1.5){each}")
        res = parser.add_mutually_exclusive_group()
        res.add_argument("--rho", type=str if many else float,
                         help=f"resolution multiplier ρ{each}")
        res.add_argument("--resolution", type=str if many else int, metavar="N",
                         help=f"input resolution in pixels (sets ρ = N / the design's height){each}")
    parser.add_argument("--dtype", choices=sorted(DTYPES), help="activation dtype (default fp32)")
    parser.add_argument("--rounding", choices=ROUNDINGS, help="channel rounding under α")


def add_output_args(p: argparse.ArgumentParser, chart: str) -> None:
    """--json | --csv | --markdown for the table, --png and --svg for the chart: what the
    workshop commands (compare, sweep, blocks) all take."""
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true")
    out.add_argument("--csv", action="store_true")
    out.add_argument("--markdown", action="store_true")
    p.add_argument("--png", metavar="OUT.png", help=f"also draw {chart}")
    p.add_argument("--svg", metavar="OUT.svg", help=f"also draw {chart} as SVG")


def load_design(spec: str, args: argparse.Namespace) -> Design:
    """Open ``spec`` and apply the scaling flags. A bad setting is a CliError that blames the flag
    when one was given and the file (``FILE: setting 'dtype' ...``) when the value came from it."""
    design = open_design(spec)
    flags = {}
    for flag in ("alpha", "rho", "dtype", "rounding"):
        if getattr(args, flag, None) is not None:
            setattr(design, flag, getattr(args, flag))
            flags[flag] = f"--{flag}"
    resolution = getattr(args, "resolution", None)
    if resolution is not None and not any(p.field == "input_shape"
                                          for p in setting_problems(design)):
        design.rho = rho_for_resolution(resolution, design.input_shape[1])
        flags["rho"] = "--resolution"
    bad = setting_problems(design)
    if bad:
        raise CliError("; ".join(_blame(p.field, p.message, flags, spec, design, resolution)
                                 for p in bad))
    return design


def _blame(field: str, message: str, flags: dict, spec: str, design: Design,
           resolution: int | None) -> str:
    if flags.get(field) == "--resolution":
        height = design.input_shape[1]
        lo = max(1, math.ceil(RHO_RANGE[0] * height - 1e-9))
        hi = math.floor(RHO_RANGE[1] * height + 1e-9)
        return (f"--resolution: must be from {lo} to {hi} pixels for this design (ρ from "
                f"{RHO_RANGE[0]} to {RHO_RANGE[1]} of its {height}-pixel input), got {resolution}")
    if field in flags:
        return f"{flags[field]}: {message}"
    return f"{spec}: setting '{field}' {message}"


def analyse_or_fail(design: Design, spec: str) -> Analysis:
    """The analysis, or a CliError (exit 1) listing every located problem."""
    result = analyze(design)
    if result.problems:
        lines = "\n".join(f"  {p}" for p in result.problems)
        raise CliError(f"{spec} is not a valid design:\n{lines}", code=1)
    return result


def run_guarded(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        code = func(args) or 0
        sys.stdout.flush()
        return code
    except CliError as err:
        print(f"error: {safe_text(str(err))}", file=sys.stderr)
        return err.code
    except io.DesignFileError as err:
        print(f"error: {safe_text(str(err))}", file=sys.stderr)
        return 2
    except extras.MissingExtra as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except ImportError as err:
        if (line := extras.explain(err)) is None:
            raise
        print(f"error: {line}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except OSError as err:
        where = f"{err.filename}: " if err.filename else ""
        print(f"error: {safe_text(where + str(err.strerror or err))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _silence_stdout() -> None:
    """The reader went away (``| head``): stop quietly; stdout goes to devnull so the interpreter's
    last flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
