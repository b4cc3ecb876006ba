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
from designer.core.io import shown
from designer.core.presets import open_design
from designer.core.safe_text import safe_text
from designer.core.scaling import ALPHA_RANGE, RHO_RANGE, rho_for_resolution

from .terminal import escaped_output


class CliError(Exception):
    """An expected failure: printed as ``error: message``, exit code ``code``."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def bounded(cast: type, lo: float | None = None, hi: float | None = None,
            above: float | None = None) -> Callable[[str], int | float]:
    """An argparse type: ``cast`` of the text, finite, from ``lo`` to ``hi`` (or more than
    ``above``); argparse turns the refusal into ``--flag: message`` and exit code 2."""
    def parse(text: str) -> int | float:
        try:
            value = cast(text)
            finite = math.isfinite(value)
        except (ValueError, OverflowError):
            value, finite = None, False
        if value is None or not finite or (lo is not None and value < lo) \
                or (hi is not None and value > hi) or (above is not None and value <= above):
            kind = "a whole number" if cast is int else "a number"
            if above is not None:
                rule = f"more than {above:g}" + (f" and at most {hi:g}" if hi is not None else "")
            else:
                rule = f"from {lo:g} to {hi:g}" if hi is not None else f"at least {lo:g}"
            got = shown(text, 30) if value is None else shown(value, 30)
            raise argparse.ArgumentTypeError(f"must be {kind} {rule}, got {got}")
        return value
    parse.__name__ = "int" if cast is int else "number"
    return parse


def number_list(cast: type, lo: float, hi: float) -> Callable[[str], list]:
    """An argparse type for a comma list of bounded numbers (``--alphas 1,0.75,0.5``)."""
    one = bounded(cast, lo, hi)

    def parse(text: str) -> list:
        values = [one(v) for v in text.split(",") if v.strip()]
        if not values:
            raise argparse.ArgumentTypeError("is empty")
        return values
    parse.__name__ = "list"
    return parse


MAX_RESOLUTION = 65536


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows a flag's default where it has one (not for a flag that is off or unset)."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if action.default in (None, False, argparse.SUPPRESS) or "default" in text:
            return text
        return super()._get_help_string(action)


class Parser(argparse.ArgumentParser):
    """Every command's parser: the help formatter that shows defaults."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        """``error: --flag: what is wrong`` first (as every other refusal reads), then usage."""
        message = message.removeprefix("argument ")
        sys.stderr.write(safe_text(f"error: {message}\n{self.format_usage()}"))
        sys.exit(2)


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
        parser.add_argument("--alpha", type=str if many else bounded(float, *ALPHA_RANGE),
                            help=f"width multiplier α ({ALPHA_RANGE[0]} to {ALPHA_RANGE[1]}; "
                                 f"default: the design's){each}")
        res = parser.add_mutually_exclusive_group()
        res.add_argument("--rho", type=str if many else bounded(float, *RHO_RANGE),
                         help=f"resolution multiplier ρ ({RHO_RANGE[0]} to {RHO_RANGE[1]}; "
                              f"default: the design's){each}")
        res.add_argument("--resolution", type=str if many else bounded(int, 1, MAX_RESOLUTION),
                         metavar="N", help="input resolution in pixels (sets ρ = N / the "
                                           f"design's height; default: the design's){each}")
    parser.add_argument("--dtype", choices=sorted(DTYPES),
                        help="activation dtype (default: the design's, fp32 unless it says)")
    parser.add_argument("--rounding", choices=ROUNDINGS,
                        help="how α rounds channel counts: floor (MobileNetV1) or to a multiple "
                             "of 8 (MobileNetV2) (default: the design's)")


def add_output_args(p: argparse.ArgumentParser, chart: str) -> None:
    """--json | --csv | --markdown for the table, --png and --svg for the chart: what the
    workshop commands (compare, sweep, blocks) all take."""
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the table as JSON")
    out.add_argument("--csv", action="store_true", help="print the table as CSV")
    out.add_argument("--markdown", action="store_true", help="print the table as Markdown "
                                                             "(default: a text table)")
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
    """Run a command with every line it prints escaped (:mod:`.terminal`) and every expected
    failure a one-line message with an exit code."""
    with escaped_output():
        return _run(func, args)


def _run(func: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
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
