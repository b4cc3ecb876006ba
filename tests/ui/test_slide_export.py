"""An SVG saved for a slide draws the same picture as the PNG of the same chart: rendered back
with Qt's SVG renderer, each design's colour and the ink of axes and labels cover the same
place, and the bars reach the same heights, within a few pixels. A slide saved from the app is
drawn off screen, and is the same picture as the chart shown."""
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from designer.core.compare import compare
from designer.core.presets import load_preset
from designer.core.sweep import curves
from designer.ui.style import INK
from designer.ui.style import series as colour
from designer.ui.workshop import slide_export
from designer.ui.workshop.compare_charts import SIZES as COMPARE_SIZES
from designer.ui.workshop.compare_charts import comparison_chart
from designer.ui.workshop.slide_export import draw_and_save, save_chart
from designer.ui.workshop.sweep_view import SIZES as SWEEP_SIZES
from designer.ui.workshop.sweep_view import sweep_chart


def svg_as_image(path) -> QImage:
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid()
    image = QImage(renderer.viewBox().size(), QImage.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


def mask(image: QImage, rgb: str):
    """Pixels within a few levels of the colour in every channel (antialiased edges differ a
    little between the raster and the vector renderer); for ``INK``, every dark grey pixel
    (a thin axis line may land between two pixel rows and come out grey)."""
    image = image.convertToFormat(QImage.Format_RGB32)
    bgra = np.frombuffer(image.constBits(), np.uint8).reshape(
        image.height(), image.bytesPerLine() // 4, 4)[:, :image.width(), :3].astype(int)
    if rgb == INK:
        return (bgra.max(axis=2) < 180) & (bgra.max(axis=2) - bgra.min(axis=2) < 30)
    want = QColor(rgb)
    return (np.abs(bgra - [want.blue(), want.green(), want.red()]) <= 12).all(axis=2)


def colour_box(image: QImage, rgb: str) -> tuple[int, int, int, int]:
    """Bounding box (left, top, right, bottom) of the pixels of this colour."""
    ys, xs = np.nonzero(mask(image, rgb))
    assert len(xs), f"no {rgb} pixel"
    return xs.min(), ys.min(), xs.max(), ys.max()


def bars_of(image: QImage, rgb: str) -> dict[int, tuple[int, int]]:
    """Per column: top and bottom of the colour's topmost run (a bar, above the key's square
    of the same colour)."""
    hits = mask(image, rgb)
    runs = {}
    for x in np.nonzero(hits.any(axis=0))[0]:
        column = hits[:, x]
        top = int(np.argmax(column))
        bottom = top + int(np.argmin(column[top:])) - 1
        runs[int(x)] = (top, bottom)
    return runs


CHARTS = {
    "compare": (lambda p: comparison_chart(compare([(n, load_preset(n)) for n in (
        "vgg16", "mobilenet_v1", "mobilenet_v2", "squeezenet1_1")]), p), COMPARE_SIZES),
    "sweep": (lambda p: sweep_chart(curves(load_preset("mobilenet_v1"), [1.0, 0.75, 0.5, 0.25],
                                           [224, 192, 160, 128]), p), SWEEP_SIZES),
}


@pytest.mark.parametrize("presentation", [False, True])
@pytest.mark.parametrize("name", sorted(CHARTS))
def test_svg_draws_what_the_png_draws(qtbot, tmp_path, name, presentation):
    make, sizes = CHARTS[name]
    chart = make(presentation)
    qtbot.addWidget(chart)
    chart.resize(*sizes[presentation])
    chart.show()
    png = save_chart(chart, tmp_path / f"{name}.png")
    svg = save_chart(chart, tmp_path / f"{name}.svg")
    raster, vector = QImage(str(png)), svg_as_image(svg)
    assert (vector.width(), vector.height()) == (raster.width(), raster.height())
    for rgb in [colour(i) for i in range(4)] + [INK]:
        a, b = colour_box(raster, rgb), colour_box(vector, rgb)
        assert all(abs(p - q) <= 4 for p, q in zip(a, b)), (rgb, a, b)
    if name == "compare":
        bars_r, bars_v = bars_of(raster, colour(0)), bars_of(vector, colour(0))
        inside = [x for x in bars_r if x - 3 in bars_r and x + 3 in bars_r]
        assert len(inside) > 20 and set(inside) <= set(bars_v)
        assert all(abs(bars_r[x][0] - bars_v[x][0]) <= 3 and abs(bars_r[x][1] - bars_v[x][1]) <= 6
                   for x in inside), [(x, bars_r[x], bars_v[x]) for x in inside if bars_r[x] != bars_v[x]][:8]


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_a_slide_is_drawn_off_screen_and_is_the_picture_the_shown_chart_gives(
        qtbot, tmp_path, monkeypatch, name):
    """On a desktop, saving slides from the app must not flash a window: every window that
    appears while the files are written is one Qt keeps off screen."""
    make, sizes = CHARTS[name]
    before = set(QApplication.topLevelWidgets())
    on_screen, saved = [], []
    real_save = slide_export.save_chart

    def watched(chart, path):
        saved.append(chart.testAttribute(Qt.WA_DontShowOnScreen))
        on_screen.extend(w for w in QApplication.topLevelWidgets() if w not in before
                         and w.isVisible() and not w.testAttribute(Qt.WA_DontShowOnScreen))
        return real_save(chart, path)
    monkeypatch.setattr(slide_export, "save_chart", watched)
    png, svg = draw_and_save(lambda: make(False), [tmp_path / "off.png", tmp_path / "off.svg"],
                             sizes[False])
    assert saved == [True, True] and on_screen == []
    shown = make(False)
    qtbot.addWidget(shown)
    shown.resize(*sizes[False])
    shown.show()
    reference_png = real_save(shown, tmp_path / "on.png")
    reference_svg = real_save(shown, tmp_path / "on.svg")
    assert QImage(str(png)) == QImage(str(reference_png))
    assert svg_as_image(svg) == svg_as_image(reference_svg)
