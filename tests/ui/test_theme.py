"""One theme (designer/ui/style.py): every colour the views draw with is a named entry there, so
presentation mode or a new look changes one file."""
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF

import designer.ui
from designer.core.layout import NODE_HEIGHT
from designer.core.presets import load_preset
from designer.ui import style
from designer.ui.canvas.node_item import fitted

UI = Path(designer.ui.__file__).parent
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")
LITERAL_COLOUR = re.compile(r"""QColor\(\s*(\d|["'])|mkColor\(\s*(\d|["'])|"""
                            r"""mk(Pen|Brush)\(\s*["']|"""
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


def test_one_font_and_one_colour_function_serve_every_view():
    from designer.ui.workshop import slide_export
    assert slide_export.font is style.font and not hasattr(slide_export, "colour")
    assert not hasattr(style, "scaled_font")


def block(w, name):
    return next(i for i in w.scene.items_by_id.values() if i.title == name)


def on_screen(w, item, rect) -> QRectF:
    return QRectF(w.view.mapFromScene(item.mapToScene(rect)).boundingRect())


def assert_rows_fit(item):
    """Every line, as drawn (its fitted font's width and height), lies inside the box."""
    body = item.body()
    rows = item.rows()
    assert len(rows) == len(item.texts()) > 3
    for (text, points, bold, width), (_, rect) in zip(item.texts(), rows):
        f, shown = fitted(text, points, bold, width)
        metrics = QFontMetricsF(f)
        drawn = QRectF(rect.left(), rect.top(), metrics.horizontalAdvance(shown),
                       metrics.height())
        assert body.contains(drawn), (text, drawn, body)
    tops = [rect.top() for _, rect in rows]
    assert tops == sorted(tops) and all(b - a >= QFontMetricsF(fitted(t, p, bo, wi)[0]).height()
                                        for a, b, (t, p, bo, wi) in zip(tops, tops[1:],
                                                                        item.texts()))


def test_a_block_grows_with_the_scale_and_its_text_fits_at_1_and_in_presentation(window, qtbot):
    w = window(load_preset("mobilenet_v2"))
    item = block(w, "block3")
    assert item.set_expanded(True)
    assert_rows_fit(item)
    box, title = on_screen(w, item, item.body()), on_screen(w, item, item.rows()[0][1])
    w.presentation.enter((1920, 1080))
    try:
        assert style.scale() == 1.8
        assert_rows_fit(item)
        bigger = on_screen(w, item, item.body())
        assert bigger.width() == pytest.approx(box.width() * 1.8, abs=2)
        assert bigger.height() == pytest.approx(box.height() * 1.8, abs=2)
        assert on_screen(w, item, item.rows()[0][1]).height() == pytest.approx(
            title.height() * 1.8, abs=2)
        assert w.totals.font().pointSizeF() == pytest.approx(11 * 1.8)
        assert w.palette.font().pointSizeF() == pytest.approx(10.5 * 1.8)
    finally:
        w.presentation.leave()
    assert style.scale() == 1.0
    assert on_screen(w, item, item.body()).height() == pytest.approx(box.height(), abs=1)
    assert w.totals.font().pointSizeF() == 11 and w.palette.font().pointSizeF() == 10.5


def test_a_block_box_is_as_tall_as_its_fonts_need(window, monkeypatch):
    """The box and its rows come from the fonts' metrics: larger fonts, a taller box (never
    shorter than the layout's NODE_HEIGHT), and the text still inside it."""
    from designer.ui.canvas import node_item
    w = window(load_preset("mobilenet_v2"))
    item = block(w, "block3")
    assert item.collapsed_height() == NODE_HEIGHT
    monkeypatch.setattr(node_item, "TITLE", (24.0, True))
    monkeypatch.setattr(node_item, "LINE", (16.0, False))
    node_item.row_tops.cache_clear()
    try:
        assert item.collapsed_height() > NODE_HEIGHT + 20
        item.set_expanded(True)
        assert_rows_fit(item)
    finally:
        monkeypatch.undo()
        node_item.row_tops.cache_clear()
    assert item.collapsed_height() == NODE_HEIGHT
