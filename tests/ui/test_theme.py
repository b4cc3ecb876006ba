"""One theme (designer/ui/style.py): every colour the views draw with is a named entry there, so
presentation mode or a new look changes one file."""
import re
from pathlib import Path

import designer.ui
from designer.ui import style

UI = Path(designer.ui.__file__).parent
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")
LITERAL_COLOUR = re.compile(r"""QColor\(\s*(\d|["'])|mkColor\(\s*(\d|["'])|mk(Pen|Brush)\(\s*["']|"""
                            r"""(background|foreground|color|brush)\s*=\s*(["'][a-z]|\(\d)""")


def colour_literals(pattern) -> list[str]:
    found = []
    for path in sorted(UI.rglob("*.py")):
        if path == Path(style.__file__):
            continue
        for n, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.relative_to(UI)}:{n}: {line.strip()}")
    return found


def test_no_hex_colour_outside_the_theme():
    assert colour_literals(HEX) == []


def test_no_colour_made_from_a_literal_outside_the_theme():
    assert colour_literals(LITERAL_COLOUR) == []


def test_the_patterns_find_what_they_look_for():
    for line in ('QColor("#5b6670")', "color: #666;", "fill(QColor(255, 255, 255, 235))",
                 'pg.mkPen("w")', 'background="w"', "brush=(154, 163, 173, 70)"):
        assert HEX.search(line) or LITERAL_COLOUR.search(line), line
    for line in ("QColor(name)", "pg.mkPen(style.INK, width=2)", "color=INK", "colour(PAPER, 235)"):
        assert not HEX.search(line) and not LITERAL_COLOUR.search(line), line


def test_colour_is_a_fresh_copy_of_a_role_or_a_kind():
    faint = style.colour(style.SELECTED, 30)
    assert faint.alpha() == 30 and style.SELECTED.alpha() == 255
    assert faint.rgb() == style.SELECTED.rgb()
    import blocks
    assert style.colour("conv").name() == blocks.BLOCKS["conv"].colour.lower()
    assert style.series(len(style.SERIES)) == style.SERIES[0]
