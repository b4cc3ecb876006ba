"""The sweep of the open design (the shape of MobileNet's Tables 6 and 7): MACs and parameters
over α, one curve per resolution, and over input size, one curve per α; a point on every exact
value at the marks (hover for its numbers) and the grid as a table."""
from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from designer.core.sweep import Curves, SweepPoint, curves, to_csv, to_markdown

from .document import DocumentModel
from .slide_export import INK, colour, export_set, line_width, save_standalone, style_plot

ALPHAS = [1.0, 0.75, 0.5, 0.25]
RESOLUTIONS = [224, 192, 160, 128]
PANELS = [("macs", "MACs (M)", "over_alpha"), ("params", "Parameters (M)", "over_alpha"),
          ("macs", "MACs (M)", "over_resolution"), ("params", "Parameters (M)", "over_resolution")]


def tip_text(p: SweepPoint) -> str:
    return (f"α = {p.alpha:g}, {p.resolution}×{p.resolution}\n{p.macs:,} MACs\n"
            f"{p.params:,} parameters")


def sweep_chart(c: Curves, presentation: bool = False) -> pg.GraphicsLayoutWidget:
    """Four panels: MACs and parameters over α (a curve per resolution), and over input size
    (a curve per α); marks are points with the exact numbers as their hover text."""
    pg.setConfigOptions(background="w", foreground=INK)
    widget = pg.GraphicsLayoutWidget()
    widget.addLabel(f"{c.name}: cost over width multiplier α and input resolution", row=0,
                    col=0, colspan=2, size="20pt" if presentation else "13pt", color=INK)
    widget.panels = []
    for k, (metric, title, axis) in enumerate(PANELS):
        over_alpha = axis == "over_alpha"
        plot = widget.addPlot(row=1 + k // 2, col=k % 2, title=(
            f"{title} over α" if over_alpha else f"{title} over input size"))
        plot.setLabel("bottom", "width multiplier α" if over_alpha else "input size (px)")
        plot.showGrid(x=True, y=True, alpha=0.2)
        legend = plot.addLegend(offset=(10, 10), labelTextSize="14pt" if presentation else "9pt")
        series = c.over_alpha if over_alpha else c.over_resolution
        for i, key in enumerate(series):
            pts = series[key]
            xs = [p.alpha if over_alpha else p.resolution for p in pts]
            ys = [getattr(p, metric) / 1e6 for p in pts]
            name = f"{key} px" if over_alpha else f"α = {key:g}"
            plot.plot(xs, ys, pen=pg.mkPen(colour(i), width=line_width(presentation)), name=name)
            marks = [p for p in c.marks if p.ok and (p.resolution if over_alpha else p.alpha) == key]
            plot.addItem(pg.ScatterPlotItem(
                [p.alpha if over_alpha else p.resolution for p in marks],
                [getattr(p, metric) / 1e6 for p in marks], data=[tip_text(p) for p in marks],
                size=16 if presentation else 9, brush=colour(i), pen=pg.mkPen("w"),
                hoverable=True, tip=lambda x, y, data: data))
        legend.setVisible(k in (0, 2))
        style_plot(plot, presentation)
        widget.panels.append(plot)
    widget.resize(1800 if presentation else 1300, 1300 if presentation else 950)
    return widget


def save_sweep_chart(c: Curves, path: str, presentation: bool = True) -> None:
    save_standalone(lambda: sweep_chart(c, presentation), path)


IGNORED = {("setting_changed", "alpha"), ("setting_changed", "rho"), ("layout_changed", None),
           ("extra_changed", None)}


class SweepView(QWidget):
    """Redraws when the open design changes, but only while shown, and not on α or ρ: the sweep
    sets both itself, so a slider drag must not pay for a hundred analyses."""

    def __init__(self, document: DocumentModel, parent=None):
        super().__init__(parent)
        self.document = document
        self.alphas = QLineEdit(",".join(f"{a:g}" for a in ALPHAS))
        self.resolutions = QLineEdit(",".join(str(r) for r in RESOLUTIONS))
        for edit in (self.alphas, self.resolutions):
            edit.editingFinished.connect(self.refresh)
        self.presentation = QCheckBox("Presentation")
        self.presentation.toggled.connect(self.refresh)
        save = QPushButton("Save charts and tables…")
        save.clicked.connect(self._save_dialog)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c2495e")
        bar = QHBoxLayout()
        for w in (QLabel("α marks"), self.alphas, QLabel("resolutions (px)"), self.resolutions,
                  self.presentation, save, self.error):
            bar.addWidget(w)
        bar.addStretch(1)
        self.table = QTableWidget()
        self.chart_box = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(self.chart_box, 4)
        layout.addWidget(self.table, 1)
        self.chart = None
        self.curves: Curves | None = None
        self._dirty = True
        document.design.subscribe(self._on_design_event)

    def _on_design_event(self, event: str, subject) -> None:
        if (event, subject if event == "setting_changed" else None) in IGNORED:
            return
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def showEvent(self, event) -> None:
        if self._dirty:
            self.refresh()
        super().showEvent(event)

    def marks(self) -> tuple[list[float], list[int]]:
        """The α and resolution marks typed in; ValueError names the bad field."""
        from designer.core.scaling import ALPHA_RANGE
        try:
            alphas = [float(v) for v in self.alphas.text().split(",") if v.strip()]
        except ValueError:
            raise ValueError(f"α marks: not a list of numbers: {self.alphas.text()!r}") from None
        try:
            res = [int(v) for v in self.resolutions.text().split(",") if v.strip()]
        except ValueError:
            raise ValueError("resolutions: not a list of whole numbers: "
                             f"{self.resolutions.text()!r}") from None
        if not alphas or any(not ALPHA_RANGE[0] <= a <= ALPHA_RANGE[1] for a in alphas):
            raise ValueError(f"α marks must lie in {ALPHA_RANGE[0]}–{ALPHA_RANGE[1]}")
        if not res or any(not 8 <= r <= 2048 for r in res):
            raise ValueError("resolutions must lie in 8–2048 px")
        return alphas, res

    def refresh(self, *_) -> None:
        self._dirty = False
        try:
            alphas, res = self.marks()
        except ValueError as err:
            self.error.setText(str(err))
            return
        self.error.setText("")
        self.curves = curves(self.document.design, alphas, res)
        if self.chart is not None:
            self.chart_box.removeWidget(self.chart)
            self.chart.deleteLater()
        self.chart = sweep_chart(self.curves, self.presentation.isChecked())
        self.chart_box.addWidget(self.chart)
        self._fill_table(alphas, res)

    def _fill_table(self, alphas: list[float], res: list[int]) -> None:
        cell = {(p.alpha, p.resolution): p for p in self.curves.marks}
        self.table.setRowCount(len(alphas))
        self.table.setColumnCount(len(res))
        self.table.setHorizontalHeaderLabels([f"{r}×{r}" for r in res])
        self.table.setVerticalHeaderLabels([f"α = {a:g}" for a in alphas])
        for i, a in enumerate(alphas):
            for j, r in enumerate(res):
                p = cell[(a, r)]
                text = (f"{p.macs / 1e6:,.1f} M MACs / {p.params / 1e6:.2f} M params" if p.ok
                        else "invalid")
                item = QTableWidgetItem(text)
                item.setToolTip(tip_text(p))
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()

    def save_all(self, folder: Path) -> list[Path]:
        if self._dirty or self.curves is None:
            self.refresh()
        marks = self.curves.marks
        return export_set(folder, {"sweep": self.chart},
                          {"sweep": (to_csv(marks), to_markdown(self.curves.name, marks))})

    def _save_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Save the sweep's charts and tables into")
        if folder:
            try:
                self.save_all(Path(folder))
            except OSError as err:
                self.error.setText(f"Not saved: {err}")
