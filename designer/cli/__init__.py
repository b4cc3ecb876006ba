"""``python -m designer``: the command line over the same core the app uses.

With no command (or a design file) it opens the app. Each command lives in its own module here
and adds its parser with ``add_parser(subparsers)``.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from designer import lifeline

from .common import CliError, Parser, run_guarded

COMMANDS = ["presets", "stats", "export", "check", "netron", "screenshot", "diagram", "compare",
            "sweep", "bench", "blocks", "estimate", "calibrate", "import"]

MODULES = {"calibrate": "estimate", "import": "importing"}


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="convsketch",
        usage="convsketch [FILE.json | PRESET]\n       convsketch COMMAND [options]",
        description="ConvSketch: design efficient CNNs and see what every choice costs. "
                    "`convsketch` alone opens the app; `convsketch FILE.json` (or a preset "
                    "name) opens that design in it. `python -m designer` is the same command.",
        epilog="Each command has its own --help (convsketch stats --help).")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser,
                                prog="convsketch")
    for name in dict.fromkeys(MODULES.get(c, c) for c in COMMANDS):
        importlib.import_module(f"designer.cli.{name}").add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if os.environ.get(lifeline.PARENT_ENV):
        lifeline.die_with_parent()      # started by the app (calibration): dies with it
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
        return _open_app(argv)
    args = build_parser().parse_args(argv)
    return run_guarded(args.func, args)


def _open_app(argv: list[str]) -> int:
    try:
        app = importlib.import_module("designer.ui.shell.app")
    except ModuleNotFoundError as err:
        if err.name and err.name.startswith("designer.ui"):
            print("error: the app is not part of this build; try 'python -m designer --help'",
                  file=sys.stderr)
            return 2
        raise
    return app.run(argv)


__all__ = ["CliError", "main"]
