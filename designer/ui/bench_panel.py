"""The Timing tab: time the open design on this device (torch, onnxruntime or both; batch, threads,
device; for so many seconds or so many runs) in a worker process, with a progress bar and Cancel;
the result is kept with the design (undoable) and the per-block chart shows each block's share of
latency beside its share of MACs, blocks with a wide spread drawn pale and named below.

Which devices exist (CUDA or not) is asked of a worker process the first time the tab is shown,
so the app itself never imports torch."""
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

from designer.bench.runner import BenchError, available_devices, make_job, run_bench
from designer.bench.stats import Summary, blocks_vs_whole_text
from designer.core.timings import AddTimings, latest

from .document import DocumentModel


class _Relay(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str)
    devices = Signal(list)


LATENCY_COLOUR, NOISY_LATENCY_COLOUR, MACS_COLOUR = "#4a78c2", "#b7c9e8", "#d9822b"


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
        self.plot = pg.PlotWidget(title="Share of latency (blue; pale: wide spread) beside share "
                                        "of MACs (orange), per block, torch eager")
        self.plot.setLabel("left", "share", units="%")
        self.blocks_note = QLabel()
        self.blocks_note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(what)
        layout.addLayout(how)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.blocks_note)
        self.relay = _Relay()
        self.relay.devices.connect(self._on_devices)
        self.devices_asked = False
        self.relay.progress.connect(self._on_progress)
        self.relay.finished.connect(self._on_finished)
        self.relay.failed.connect(self._on_failed)
        self.cancel_event: threading.Event | None = None
        self.thread: threading.Thread | None = None
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        document.analysis_changed.connect(self.show_kept)
        self.env: dict | None = None
        self.show_kept()

    def start(self) -> None:
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
        self.thread = threading.Thread(target=work, daemon=True)
        self.thread.start()

    def _limit_changed(self, limit: str) -> None:
        self.seconds.setEnabled(limit == "seconds")
        self.runs.setEnabled(limit == "runs")

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.ask_devices()

    def ask_devices(self) -> None:
        """Ask a worker once which devices exist; "cuda" joins the list when torch sees one."""
        if self.devices_asked:
            return
        self.devices_asked = True
        relay = self.relay

        def work() -> None:
            try:
                relay.devices.emit(available_devices())
            except BenchError:
                relay.devices.emit(["cpu"])
        threading.Thread(target=work, daemon=True).start()

    def _on_devices(self, devices: list) -> None:
        for device in devices:
            if self.device.findText(device) < 0:
                self.device.addItem(device)

    def cancel(self) -> None:
        if self.cancel_event is not None:
            self.cancel_event.set()

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
        self.document.push(AddTimings(result["timings"]))

    def show_kept(self, *_) -> None:
        """Show the newest timings kept with the design at its α and ρ."""
        design = self.document.design
        lines = []
        for runtime in ("torch", "onnxruntime"):
            t = latest(design, runtime)
            if t:
                s = Summary(**{k: t[k] for k in Summary.__dataclass_fields__})
                env = t.get("environment", {})
                note = f" <i>({t['note']})</i>" if t.get("note") else ""
                lines.append(f"<b>{runtime}</b> ({t['device']}, {t['threads']} threads, batch "
                             f"{t['batch']}): {s.text()} — {env.get('cpu', '')}{note}")
        if lines:
            self.status.setText("<br>".join(lines))
        self.plot.clear()
        t = latest(design, "torch")
        blocks = t.get("blocks") if t else None
        self.blocks_note.setText(blocks_vs_whole_text(t) if blocks else "")
        if blocks:
            total_ms = sum(b["median_ms"] for b in blocks) or 1
            total_macs = sum(b["macs"] for b in blocks) or 1
            x = list(range(len(blocks)))
            self.plot.addItem(pg.BarGraphItem(
                x=[i - 0.2 for i in x], width=0.4, height=[100 * b["median_ms"] / total_ms
                                                           for b in blocks],
                brushes=[NOISY_LATENCY_COLOUR if b.get("noisy") else LATENCY_COLOUR
                         for b in blocks]))
            self.plot.addItem(pg.BarGraphItem(x=[i + 0.2 for i in x], width=0.4, brush=MACS_COLOUR,
                                              height=[100 * b["macs"] / total_macs for b in blocks]))
            step = max(1, -(-len(blocks) // 14))
            self.plot.getAxis("bottom").setTicks(
                [[(i, b["name"]) for i, b in enumerate(blocks) if i % step == 0]])


def install(window) -> None:
    window.bench_panel = BenchPanel(window.document)
    window.add_tab(window.bench_panel, "Timing")
    window.menu("Tools").addAction("Time it on this device",
                                   lambda: window.tabs.setCurrentWidget(window.bench_panel))
