"""``presets``: list the shipped designs with their headline figures."""
from __future__ import annotations

from designer.core.analysis import analyze
from designer.core.presets import load_preset, names
from designer.core.units import human


def add_parser(sub) -> None:
    p = sub.add_parser("presets", help="list the preset designs")
    p.set_defaults(func=run)


def run(args) -> int:
    print(f"{'preset':<16} {'name':<18} {'params':>10} {'MACs':>10}")
    for key in names():
        design = load_preset(key)
        a = analyze(design)
        print(f"{key:<16} {design.name:<18} {human(a.params):>10} {human(a.macs):>10}")
    return 0
