"""The workshop view: the open design beside presets, files and copies of itself, each with its
own α and ρ, as small-multiple bar charts, a table with ratios to one chosen baseline and a
Pareto scatter (MACs against parameters, and against latency of one chosen runtime and device
when timings are kept with the designs).
Charts save as PNG or SVG and tables as CSV or Markdown; "Presentation" switches every workshop
chart and table to projector-sized fonts and lines."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
)

from designer.core import io
from designer.core.compare import Comparison, compare
from designer.core.metrics import LATENCY
from designer.core.presets import load_preset, names
from designer.core.scaling import scaled_resolution
from designer.core.timings import DEVICES, RUNTIMES, describe

from ..shell.document import DocumentModel
from ..shell.view_state import Guard
from .compare_charts import (
    PARETO_SIZES,
    SIZES,
    VIEWS,
    comparison_chart,
    fill_comparison_chart,
    fill_pareto_chart,
    pareto_chart,
    signature,
)
from .slide_export import export_set
from .workshop_tab import WorkshopTab, install_tab

LATENCY_SETUPS = [(r, d) for d in DEVICES for r in RUNTIMES]


class CompareView(WorkshopTab):
    """Row 0 is the open design at its own α and ρ; "Add open design" adds it again at an α
    and resolution of its own, still following every edit of the design (the teacher's α 1
    beside α 0.5). Exactly one row is the baseline, chosen with radio buttons."""

    def __init__(self, document: DocumentModel, parent=None):
        super().__init__(parent=parent)
        self.document = document
        self.guard = Guard()
        self.entries: list[dict] = []
        self.comparison: Comparison | None = None
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["design", "α", "resolution px", "baseline", ""])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.baseline_buttons = QButtonGroup(self)
        self.baseline_buttons.idClicked.connect(self.set_baseline)
        self.preset = QComboBox()
        self.preset.addItems(names())
        add = QPushButton("Add preset")
        add.clicked.connect(self.add_preset)
        add_open = QPushButton("Add open design")
        add_open.setToolTip("The open design again, at an α and resolution of its own; it "
                            "follows every edit of the design")
        add_open.clicked.connect(lambda: self.add_open_design())
        add_file = QPushButton("Add file…")
        add_file.clicked.connect(self._add_file)
        self.latency = QComboBox()
        for runtime, device in LATENCY_SETUPS:
            self.latency.addItem(f"latency: {describe(runtime, device)}", (runtime, device))
        self.latency.setToolTip("Whose kept timings the latency bars and scatter show")
        self.latency.currentIndexChanged.connect(self.changed)
        self.view = QComboBox()
        self.view.addItems(list(VIEWS))
        self.view.setToolTip("Bars as values, on a log scale, or as multiples of the baseline")
        self.view.currentIndexChanged.connect(self.changed)
        adding, showing = QHBoxLayout(), QHBoxLayout()
        for row, widgets in ((adding, (self.preset, add, add_open, add_file)),
                             (showing, (self.latency, self.view, self.presentation,
                                        self.save_button,
                                        self.error))):
            for w in widgets:
                row.addWidget(w)
            row.addStretch(1)
        self.results = QTableWidget()
        self.tables = [self.table, self.results]
        self.charts = QTabWidget()
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(adding)
        self.layout_.addLayout(showing)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addWidget(self.results, 1)
        self.layout_.addWidget(self.charts, 3)
        self.entries.append({"label": "open design", "design": None, "alpha": None, "res": None})
        self.baseline = 0
        self.bar_chart = self.scatter = self.latency_scatter = None
        document.analysis_changed.connect(self.changed)
        self._rebuild_table()

    # -- the list of designs -------------------------------------------------------------------
    def add_design(self, label: str, design, alpha: float | None = None,
                   resolution: int | None = None) -> None:
        """Add a design (a preset or a file, kept as it is now) at its own α and resolution
        unless given."""
        self.entries.append({"label": label, "design": design,
                             "alpha": design.alpha if alpha is None else alpha,
                             "res": resolution or scaled_resolution(design.input_shape[1],
                                                                   design.rho)})
        self._rebuild_table()
        self.changed()

    def add_preset(self, name: str | None = None) -> None:
        """Add a preset under its display name ("MobileNetV2", not its key "mobilenet_v2"), the
        name the open design is shown by too."""
        design = load_preset(name or self.preset.currentText())
        self.add_design(design.name, design)

    def add_open_design(self, alpha: float | None = None, resolution: int | None = None) -> None:
        """The open design once more, live, at ``alpha`` and ``resolution`` (its current ones
        unless given), which stay put when the design's own sliders move."""
        design = self.document.design
        self.entries.append({"label": "open design again", "design": None,
                             "alpha": design.alpha if alpha is None else alpha,
                             "res": resolution or scaled_resolution(design.input_shape[1],
                                                                   design.rho)})
        self._rebuild_table()
        self.changed()

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
        if entry["alpha"] is None or self.guard:
            return
        for key, value, column in (("alpha", alpha, 1), ("res", resolution, 2)):
            if value is None:
                continue
            entry[key] = value
            box = self.table.cellWidget(row, column)
            if box.value() != value:
                with self.guard:
                    box.setValue(value)
        self.changed()

    def _rebuild_table(self) -> None:
        """Every row anew. A replaced cell widget is only deleted once control returns to the
        event loop, drawn where its column used to be until then: each is hidden first, so
        that nothing stale shows (a screenshot, or a second add before the loop runs)."""
        for row in range(self.table.rowCount()):
            for column in range(self.table.columnCount()):
                old = self.table.cellWidget(row, column)
                if old is not None:
                    old.hide()
                    self.table.removeCellWidget(row, column)
        self.table.setRowCount(len(self.entries))
        for button in self.baseline_buttons.buttons():
            self.baseline_buttons.removeButton(button)
        for i, e in enumerate(self.entries):
            self.table.setItem(i, 0, QTableWidgetItem(e["label"]))
            if e["alpha"] is None:
                self.table.setItem(i, 1, QTableWidgetItem("(its own)"))
                self.table.setItem(i, 2, QTableWidgetItem("(its own)"))
            else:
                for column, box, key, (lo, hi, step) in (
                        (1, QDoubleSpinBox(), "alpha", (0.25, 1.5, 0.05)),
                        (2, QSpinBox(), "resolution", (16, 1024, 32))):
                    box.setRange(lo, hi)
                    box.setSingleStep(step)
                    box.setValue(e["alpha" if column == 1 else "res"])
                    box.valueChanged.connect(
                        lambda v, r=i, k=key: self.set_scaling(r, **{k: v}))
                    self.table.setCellWidget(i, column, box)
            base = QRadioButton()
            base.setChecked(i == self.baseline)
            base.setToolTip("Ratios (×) are to this design")
            self.baseline_buttons.addButton(base, i)
            self.table.setCellWidget(i, 3, base)
            remove = QPushButton("remove")
            remove.setEnabled(i > 0)
            remove.clicked.connect(lambda _=False, r=i: self.remove(r))
            self.table.setCellWidget(i, 4, remove)

    def set_baseline(self, row: int) -> None:
        self.baseline = row
        self.baseline_buttons.button(row).setChecked(True)
        self.changed()

    def remove(self, row: int) -> None:
        """Remove a row; rows after it move up with their baseline mark, and removing the
        baseline itself makes the first row the baseline, with its button checked and a note
        saying so."""
        removed = self.entries.pop(row)
        note = ""
        if row == self.baseline:
            self.baseline = 0
            note = (f"The baseline ({removed['label']}) was removed; ratios are now to row 1, "
                    f"{self.entries[0]['label']}.")
        elif row < self.baseline:
            self.baseline -= 1
        self._rebuild_table()
        self.error.setText(note)
        self.changed()

    # -- results ----------------------------------------------------------------------------------
    def designs(self):
        out = []
        for e in self.entries:
            design = self.document.design if e["design"] is None else e["design"]
            if e["alpha"] is None:
                out.append((design.name, design))
                continue
            label = design.name if e["design"] is None else e["label"]
            d = io.from_dict(io.to_dict(design))
            d.alpha, d.rho = e["alpha"], e["res"] / d.input_shape[1]
            out.append((f"{label} α={d.alpha:g} {e['res']}px", d))
        return out

    def refresh(self, *_) -> None:
        self._dirty = False
        runtime, device = self.latency.currentData()
        self.comparison = compare(self.designs(), self.baseline, runtime, device)
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
        self.layout_.setStretchFactor(self.charts, 6 if present else 3)
        c = self.comparison
        view = self.view.currentText()
        if (self.bar_chart is not None
                and self.bar_chart.signature == signature(c, present, view)):
            fill_comparison_chart(self.bar_chart, c)
            for chart in (self.scatter, self.latency_scatter):
                if chart is not None:
                    fill_pareto_chart(chart, c)
            return
        current = self.charts.currentIndex()
        old = [self.charts.widget(i) for i in range(self.charts.count())]
        self.charts.clear()
        for widget in old:
            if widget not in self.tables:
                widget.deleteLater()
        self.bar_chart = comparison_chart(c, present, view)
        self.scatter = pareto_chart(c, "params", present)
        self.latency_scatter = None
        self.charts.addTab(self.bar_chart, "Bars")
        self.charts.addTab(self.scatter, "MACs vs parameters")
        if LATENCY.key in c.metrics():
            self.latency_scatter = pareto_chart(c, LATENCY.key, present)
            self.charts.addTab(self.latency_scatter, "MACs vs latency")
        if present:
            self.charts.addTab(self.results, "Table")
            self.charts.addTab(self.table, "Designs")
        self.charts.setCurrentIndex(min(max(current, 0), self.charts.count() - 1))

    def _on_presentation(self, on: bool) -> None:
        """In presentation the two tables become pages beside the charts, so that neither the
        tables (cut to a row or two) nor the charts (under 180 px) are squashed."""
        if not on:
            for i, table in enumerate(self.tables):
                self.layout_.insertWidget(2 + i, table, 1)
                table.show()
        self.bar_chart = None               # rebuilt, with or without the table pages
        super()._on_presentation(on)

    def save_all(self, folder: Path) -> list[Path]:
        """Every chart as PNG and SVG at its slide size, the table as CSV and Markdown."""
        if self._dirty:
            self.refresh()
        c, present = self.comparison, self.presentation.isChecked()
        view = self.view.currentText()
        charts = {"compare": (lambda: comparison_chart(c, present, view), SIZES[present]),
                  "pareto": (lambda: pareto_chart(c, "params", present), PARETO_SIZES[present])}
        if LATENCY.key in c.metrics():
            charts["pareto_latency"] = (lambda: pareto_chart(c, LATENCY.key, present),
                                        PARETO_SIZES[present])
        return export_set(folder, charts, {"compare": (self.comparison.to_csv(),
                                                       self.comparison.to_markdown())})


def install(window) -> None:
    install_tab(window, CompareView(window.document), "compare_view", "Compare",
                "Compare designs")
