"""The workshop view: the open design beside presets and files, each with its own α and ρ, as
small-multiple bar charts, a table with ratios to a chosen baseline and a Pareto scatter (MACs
against parameters, and against latency when timings are kept with the designs). ``install``
also adds the Sweep and Block kinds tabs. Charts save as PNG or SVG and tables as CSV or
Markdown; "Presentation" switches every workshop chart to projector-sized fonts and lines."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from designer.core import io
from designer.core.compare import Comparison, compare
from designer.core.presets import load_preset, names

from .block_compare_view import BlockCompareView
from .compare_charts import (
    comparison_chart,
    fill_comparison_chart,
    fill_pareto_chart,
    pareto_chart,
    signature,
)
from .document import DocumentModel
from .slide_export import export_set
from .sweep_view import SweepView


class CompareView(QWidget):
    def __init__(self, document: DocumentModel, parent=None):
        super().__init__(parent)
        self.document = document
        self.entries: list[dict] = []
        self.comparison: Comparison | None = None
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["design", "α", "resolution px", "baseline", ""])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.preset = QComboBox()
        self.preset.addItems(names())
        add = QPushButton("Add preset")
        add.clicked.connect(lambda: self.add_design(self.preset.currentText(),
                                                    load_preset(self.preset.currentText())))
        add_file = QPushButton("Add file…")
        add_file.clicked.connect(self._add_file)
        self.presentation = QCheckBox("Presentation")
        self.presentation.toggled.connect(self._on_analysis)
        save = QPushButton("Save charts and tables…")
        save.clicked.connect(self._save_dialog)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c2495e")
        self.error.setWordWrap(True)
        bar = QHBoxLayout()
        for w in (self.preset, add, add_file, self.presentation, save, self.error):
            bar.addWidget(w)
        bar.addStretch(1)
        self.results = QTableWidget()
        self.charts = QTabWidget()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.charts, 3)
        self.entries.append({"label": "open design", "design": None, "alpha": None, "res": None})
        self.baseline = 0
        self.bar_chart = self.scatter = self.latency_scatter = None
        self._dirty = True
        document.analysis_changed.connect(self._on_analysis)
        self._rebuild_table()

    def _on_analysis(self, *_) -> None:
        """The open design changed: redraw now if shown, else when next shown (slider ticks in
        the Design tab must not pay for charts nobody sees)."""
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def showEvent(self, event) -> None:
        if self._dirty:
            self.refresh()
        super().showEvent(event)

    # -- the list of designs -------------------------------------------------------------------
    def add_design(self, label: str, design, alpha: float | None = None,
                   resolution: int | None = None) -> None:
        self.entries.append({"label": label, "design": design,
                             "alpha": design.alpha if alpha is None else alpha,
                             "res": resolution or round(design.input_shape[1] * design.rho)})
        self._rebuild_table()
        self._on_analysis()

    def _add_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Add design", "", "*.json")
        if path:
            self.add_file(path)

    def add_file(self, path: str) -> bool:
        """Add a design file; a file that cannot be read is reported beside the toolbar (what
        and where), and the comparison stays as it was."""
        try:
            design = io.load(path)
        except io.DesignFileError as err:
            self.error.setText(f"Not added: {err}")
            return False
        self.error.setText("")
        self.add_design(Path(path).stem, design)
        return True

    def set_scaling(self, row: int, alpha: float | None = None,
                    resolution: int | None = None) -> None:
        """Change one compared design's α or resolution; its bars update at once."""
        entry = self.entries[row]
        if entry["design"] is None:
            return
        for key, value, column in (("alpha", alpha, 1), ("res", resolution, 2)):
            if value is None:
                continue
            entry[key] = value
            box = self.table.cellWidget(row, column)
            if box.value() != value:
                box.blockSignals(True)
                box.setValue(value)
                box.blockSignals(False)
        self._on_analysis()

    def _rebuild_table(self) -> None:
        self.table.setRowCount(len(self.entries))
        for i, e in enumerate(self.entries):
            self.table.setItem(i, 0, QTableWidgetItem(e["label"]))
            if e["design"] is None:
                self.table.setItem(i, 1, QTableWidgetItem("(its own)"))
                self.table.setItem(i, 2, QTableWidgetItem("(its own)"))
            else:
                alpha = QDoubleSpinBox()
                alpha.setRange(0.25, 1.5)
                alpha.setSingleStep(0.05)
                alpha.setValue(e["alpha"])
                alpha.valueChanged.connect(lambda v, r=i: self.set_scaling(r, alpha=v))
                self.table.setCellWidget(i, 1, alpha)
                res = QSpinBox()
                res.setRange(16, 1024)
                res.setSingleStep(32)
                res.setValue(e["res"])
                res.valueChanged.connect(lambda v, r=i: self.set_scaling(r, resolution=v))
                self.table.setCellWidget(i, 2, res)
            base = QCheckBox()
            base.setChecked(i == self.baseline)
            base.toggled.connect(lambda on, r=i: on and self.set_baseline(r))
            self.table.setCellWidget(i, 3, base)
            remove = QPushButton("remove")
            remove.setEnabled(i > 0)
            remove.clicked.connect(lambda _=False, r=i: self.remove(r))
            self.table.setCellWidget(i, 4, remove)

    def set_baseline(self, row: int) -> None:
        self.baseline = row
        self._rebuild_table()
        self._on_analysis()

    def remove(self, row: int) -> None:
        del self.entries[row]
        self.baseline = 0 if self.baseline >= len(self.entries) else self.baseline
        self._rebuild_table()
        self._on_analysis()

    # -- results ----------------------------------------------------------------------------------
    def designs(self):
        out = []
        for e in self.entries:
            if e["design"] is None:
                out.append((self.document.design.name, self.document.design))
                continue
            d = io.from_dict(io.to_dict(e["design"]))
            d.alpha, d.rho = e["alpha"], e["res"] / d.input_shape[1]
            out.append((f"{e['label']} α={d.alpha:g} {e['res']}px", d))
        return out

    def refresh(self, *_) -> None:
        self._dirty = False
        self.comparison = compare(self.designs(), self.baseline)
        broken = [f"{r.label} has {r.problems} problem{'s' * (r.problems > 1)}"
                  for r in self.comparison.rows if r.problems]
        if broken or self.error.text().startswith("Invalid"):
            self.error.setText("Invalid: " + "; ".join(broken) + " (its figures count only the "
                               "blocks that can be analysed)" if broken else "")
        header, body = self.comparison.table()
        self.results.setColumnCount(len(header))
        self.results.setHorizontalHeaderLabels(header)
        self.results.setRowCount(len(body))
        for i, row in enumerate(body):
            for j, cell in enumerate(row):
                self.results.setItem(i, j, QTableWidgetItem(cell))
        self.results.resizeColumnsToContents()
        present = self.presentation.isChecked()
        c = self.comparison
        if self.bar_chart is not None and self.bar_chart.signature == signature(c, present):
            fill_comparison_chart(self.bar_chart, c)
            for chart in (self.scatter, self.latency_scatter):
                if chart is not None:
                    fill_pareto_chart(chart, c)
            return
        current = self.charts.currentIndex()
        old = [self.charts.widget(i) for i in range(self.charts.count())]
        self.charts.clear()
        for widget in old:
            widget.deleteLater()
        self.bar_chart = comparison_chart(c, present)
        self.scatter = pareto_chart(c, "params", present)
        self.latency_scatter = None
        self.charts.addTab(self.bar_chart, "Bars")
        self.charts.addTab(self.scatter, "MACs vs parameters")
        if "latency_ms" in c.metrics():
            self.latency_scatter = pareto_chart(c, "latency_ms", present)
            self.charts.addTab(self.latency_scatter, "MACs vs latency")
        self.charts.setCurrentIndex(min(max(current, 0), self.charts.count() - 1))

    def save_all(self, folder: Path) -> list[Path]:
        """Every chart as PNG and SVG, the table as CSV and Markdown."""
        if self._dirty:
            self.refresh()
        charts = {"compare": self.bar_chart, "pareto": self.scatter}
        if self.latency_scatter is not None:
            charts["pareto_latency"] = self.latency_scatter
        return export_set(folder, charts, {"compare": (self.comparison.to_csv(),
                                                       self.comparison.to_markdown())})

    def _save_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Save charts and tables into")
        if folder:
            try:
                self.save_all(Path(folder))
            except OSError as err:
                self.error.setText(f"Not saved: {err}")


def install(window) -> None:
    """Compare, Sweep and Block kinds tabs, a Tools menu entry for each, and one presentation
    switch: toggling it in any of the three toggles it in all."""
    window.compare_view = CompareView(window.document)
    window.sweep_view = SweepView(window.document)
    window.block_view = BlockCompareView()
    views = (window.compare_view, window.sweep_view, window.block_view)
    for view, title, entry in zip(views, ("Compare", "Sweep", "Block kinds"),
                                  ("Compare designs", "Sweep α × resolution",
                                   "Compare block kinds")):
        window.add_tab(view, title)
        window.menu("Tools").addAction(entry, lambda v=view: window.tabs.setCurrentWidget(v))
    for view in views:
        for other in views:
            if other is not view:
                view.presentation.toggled.connect(other.presentation.setChecked)
