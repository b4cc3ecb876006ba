"""The Timing tab: time the open design on this device (torch, onnxruntime or both; batch, threads,
device; for so many seconds or so many runs) in a worker process, with a progress bar and Cancel;
the result is kept with the design (undoable) and the per-block chart shows each block's share of
latency beside its share of MACs, blocks with a wide spread drawn pale and named below.

Which devices exist (CUDA or not) is asked of a worker process the first time the tab is shown,
so the app itself never imports torch; "Time it" waits for the answer, since a timing started
beside that worker's torch import would share the CPU with it (2 cores) and keep a slow figure.
A result is kept only if the design is still the one timed (same blocks, parameters, α, ρ):
an edit made, or another file opened, while it ran would otherwise receive a figure that is not
its own."""
from __future__ import annotations

import threading

import pyqtgraph as pg
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from designer import extras
from designer.bench.runner import (
    BenchError,
    available_devices,
    make_job,
    run_bench,
    timed_design_key,
)
from designer.bench.stats import block_shares, blocks_vs_whole_text, memory_text
from designer.core.change import DesignChange
from designer.core.timings import AddTimings, Timing, latest
from designer.core.units import plural

from .. import style
from ..charts.axes import MIN_CHART_HEIGHT, name_ticks, scale_plot
from ..charts.plot_menu import without_plot_options
from ..shell.document import DocumentModel
from ..style import font
from .estimate_chart import EstimateVsMeasured


class _Relay(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str)
    devices = Signal(list, str)


CHECKING_DEVICES = "Checking devices… (Time it waits for the answer.)"
EMPTY_CHART = "Run a timing to see latency: press Time it."
NOT_KEPT = ("<b>Not kept:</b> the design changed while it was being timed (an edit, or another "
            "file opened), so this result, shown below, is not stored with it. Time it again.")


class BenchPanel(QWidget):
    def __init__(self, document: DocumentModel, parent=None):
        super().__init__(parent)
        self.document = document
        self.runtime = QComboBox()
        self.runtime.addItems(["both", "torch", "onnxruntime"])
        self.threads = QSpinBox()
        self.threads.setRange(1, 256)
        self.threads.setValue(2)
        self.batch = QSpinBox()
        self.batch.setRange(1, 1024)
        self.device = QComboBox()
        self.device.addItem("cpu")
        self.device.setToolTip("cuda appears when torch sees a GPU on this machine")
        self.limit = QComboBox()
        self.limit.addItems(["seconds", "runs"])
        self.limit.setToolTip("stop the whole-model runs after so many seconds, or so many runs")
        self.seconds = QDoubleSpinBox()
        self.seconds.setRange(0.2, 600)
        self.seconds.setValue(3.0)
        self.runs = QSpinBox()
        self.runs.setRange(5, 1_000_000)
        self.runs.setValue(200)
        self.runs.setEnabled(False)
        self.limit.currentTextChanged.connect(self._limit_changed)
        self.per_block = QCheckBox("per block")
        self.per_block.setChecked(True)
        self.start_button = QPushButton("Time it")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.status = QLabel("Not timed yet. MACs are not speed: time it on this machine.")
        self.status.setWordWrap(True)
        what, how = QHBoxLayout(), QHBoxLayout()
        for row, items in ((what, (("runtime", self.runtime), ("device", self.device),
                                   ("batch", self.batch), ("threads", self.threads))),
                           (how, (("stop after", self.limit), (None, self.seconds),
                                  (None, self.runs), (None, self.per_block),
                                  (None, self.start_button), (None, self.cancel_button)))):
            for label, w in items:
                if label:
                    row.addWidget(QLabel(label))
                row.addWidget(w)
            row.addStretch(1)
        self.plot = pg.PlotWidget(title="Share of latency (blue), of MACs (orange)")
        without_plot_options(self.plot.getPlotItem())
        self.plot.setToolTip("Per block, torch eager; a pale blue bar had a wide spread")
        self.plot.setMinimumWidth(320)
        self.plot.setLabel("left", "share", units="%")
        self.blocks_note = QLabel()
        self.blocks_note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(what)
        layout.addLayout(how)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.estimate_view = EstimateVsMeasured(document)
        charts = QHBoxLayout()
        charts.addWidget(self.plot, 1)
        charts.addWidget(self.estimate_view, 1)
        layout.addLayout(charts, 1)
        layout.addWidget(self.blocks_note)
        self.relay = _Relay()
        self.relay.devices.connect(self._on_devices)
        self.devices_asked = False
        self.probe_cancel = threading.Event()
        self.probing = False
        self._status_before_probe = ""
        self.timed_key: tuple[int, str] | None = None
        self.designs_opened = 0
        document.changed.connect(self._on_design_change)
        self.relay.progress.connect(self._on_progress)
        self.relay.finished.connect(self._on_finished)
        self.relay.failed.connect(self._on_failed)
        self.cancel_event: threading.Event | None = None
        self.thread: threading.Thread | None = None
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        document.analysis_changed.connect(self.show_kept)
        style.theme().changed.connect(self._on_theme_changed)
        self.env: dict | None = None
        self.empty_text = ""
        self.show_kept()

    def start(self) -> None:
        if self.probing or self.running:
            return
        if line := self.lacks_extra():
            self.status.setText(line)
            return
        if self.document.analysis.problems:
            self.status.setText("Fix the design's problems first: "
                                + "; ".join(str(p) for p in self.document.analysis.problems[:3]))
            return
        by_time = self.limit.currentText() == "seconds"
        job = make_job(self.document.design, self.runtime.currentText(), self.threads.value(),
                       self.batch.value(), self.device.currentText(),
                       budget_s=self.seconds.value() if by_time else None,
                       max_runs=None if by_time else self.runs.value(),
                       per_block=self.per_block.isChecked())
        self.timed_key = (self.designs_opened, timed_design_key(self.document.design))
        self.cancel_event = threading.Event()
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        self.status.setText("Timing in a worker process…")
        cancel, relay = self.cancel_event, self.relay

        def work() -> None:
            try:
                result = run_bench(job, lambda f, m: relay.progress.emit(f, m), cancel,
                                   env=self.env)
                relay.finished.emit(result)
            except BenchError as err:
                relay.failed.emit(str(err))
            except Exception as err:  # noqa: BLE001 - "Time it" must come back whatever happens
                relay.failed.emit(f"unexpected error while running the worker "
                                  f"({type(err).__name__}: {err})")
        self.thread = threading.Thread(target=work, daemon=True)
        self.thread.start()

    def _on_design_change(self, change: DesignChange) -> None:
        if change.reset:  # another design opened into the document (file, preset, new)
            self.designs_opened += 1

    def _limit_changed(self, limit: str) -> None:
        self.seconds.setEnabled(limit == "seconds")
        self.runs.setEnabled(limit == "runs")

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.ask_devices()

    def lacks_extra(self) -> str | None:
        """On a light install, the one line that says what timing needs; None when it can run."""
        runtime = self.runtime.currentText()
        absent = extras.missing(("torch",) if runtime == "torch" else extras.EXPORT)
        return extras.message("Timing", absent) if absent else None

    def ask_devices(self) -> None:
        """Ask a worker once which devices exist; "cuda" joins the list when torch sees one."""
        if self.devices_asked:
            return
        if line := self.lacks_extra():
            self.status.setText(line)
            return
        self.devices_asked = True
        self.probing = True
        self.start_button.setEnabled(False)
        self._status_before_probe = self.status.text()
        self.status.setText(CHECKING_DEVICES)
        relay, stopped = self.relay, self.probe_cancel

        def work() -> None:
            try:
                relay.devices.emit(available_devices(cancel=stopped), "")
            except Exception as err:  # noqa: BLE001 - the CPU is always there to time on
                if stopped.is_set():
                    return
                relay.devices.emit(["cpu"], f"Could not check for a GPU ({type(err).__name__}: "
                                            f"{err}); timing on the CPU.")
        threading.Thread(target=work, daemon=True).start()

    def _on_devices(self, devices: list, note: str) -> None:
        for device in devices:
            if self.device.findText(device) < 0:
                self.device.addItem(device)
        self.probing = False
        if not self.running:
            self.start_button.setEnabled(True)
        if self.status.text() == CHECKING_DEVICES:
            self.status.setText(note or self._status_before_probe)
        elif note:
            self.status.setText(f"{self.status.text()}<br>{note}")

    def cancel(self) -> None:
        if self.cancel_event is not None:
            self.cancel_event.set()

    def stop_workers(self) -> None:
        """The window is closing: stop the device probe and any timing, so no worker process
        outlives the window that started it."""
        self.probe_cancel.set()
        self.cancel()

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(fraction * 100))
        self.status.setText(f"Timing… {message}")

    def _done(self) -> None:
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _on_failed(self, message: str) -> None:
        self._done()
        self.progress.setValue(0)
        self.status.setText("Timing cancelled." if message == "cancelled"
                            else f"Timing failed: {message}. The design is untouched.")

    def _on_finished(self, result: dict) -> None:
        self._done()
        self.progress.setValue(100)
        if (self.designs_opened, timed_design_key(self.document.design)) == self.timed_key:
            self.document.push(AddTimings(result["timings"]))
            return
        timings = {t.runtime: t for t in result["timings"]}
        self._show([timings.get("torch"), timings.get("onnxruntime")], NOT_KEPT)

    def _on_theme_changed(self, *_) -> None:
        scale_plot(self.plot)
        self.empty_text = ""      # drawn again in the new fonts
        self.show_kept()

    def set_presentation(self, on: bool) -> None:
        self.plot.setMinimumHeight(MIN_CHART_HEIGHT if on else 0)

    def show_kept(self, *_) -> None:
        """Show the newest timings kept with the design at its α and ρ."""
        design = self.document.design
        self._show([latest(design, "torch"), latest(design, "onnxruntime")])

    def _show(self, timings: list[Timing | None], heading: str = "") -> None:
        """Show a torch and an onnxruntime timing (either may be None) and the torch one's
        per-block chart; the status keeps its text when there is nothing to show. Nothing to
        show twice in a row (an α tick with no timing kept) is drawn once."""
        if self.empty_text and not heading and not any(timings):
            return
        lines = [heading] if heading else []
        for t in timings:
            if t:
                note = f" <i>({t.note})</i>" if t.note else ""
                lines.append(f"<b>{t.runtime}</b> ({t.device}, {plural(t.threads, 'thread')}, "
                             f"batch {t.batch}): {t.spread_text()} — "
                             f"{t.environment.get('cpu', '')}{note}")
                if t.peak_memory_bytes and not self.document.analysis.problems:
                    lines.append(memory_text(t.peak_memory_bytes, self.document.analysis,
                                             t.batch))
        if lines:
            self.status.setText("<br>".join(lines))
        self.plot.clear()
        t = timings[0]
        blocks = t.blocks if t else ()
        self.blocks_note.setText(blocks_vs_whole_text(t) if blocks else "")
        self.estimate_view.show_timing(t)
        item = self.plot.getPlotItem()
        for side in ("left", "bottom"):
            item.showAxis(side, bool(blocks))
        if not blocks:
            self.plot.getAxis("bottom").setTicks(None)
            empty = pg.TextItem(EMPTY_CHART, color=style.INK, anchor=(0.5, 0.5))
            empty.setFont(font(10))
            self.plot.addItem(empty)
            self.plot.setXRange(-1, 1, padding=0)
            self.plot.setYRange(-1, 1, padding=0)
            self.empty_text = EMPTY_CHART
            return
        self.empty_text = ""
        if blocks:
            shares = block_shares(t)
            x = list(range(len(blocks)))
            self.plot.addItem(pg.BarGraphItem(
                x=[i - 0.2 for i in x], width=0.4, height=[100 * lat for lat, _ in shares],
                brushes=[style.NOISY_LATENCY if b.noisy else style.LATENCY
                         for b in blocks]))
            self.plot.addItem(pg.BarGraphItem(x=[i + 0.2 for i in x], width=0.4, brush=style.MACS,
                                              height=[100 * macs for _, macs in shares]))
            self.plot.setYRange(0, 100 * max(max(s) for s in shares), padding=0.05)
            name_ticks(self.plot, x, [b.name for b in blocks], [lat for lat, _ in shares],
                       -0.6, len(blocks) - 0.4)


def install(window) -> None:
    window.bench_panel = BenchPanel(window.document)
    window.add_tab(window.bench_panel, "Timing")
    window.closing.connect(window.bench_panel.stop_workers)
    window.menu("Tools").addAction("Time it on this device",
                                   lambda: window.tabs.setCurrentWidget(window.bench_panel))
