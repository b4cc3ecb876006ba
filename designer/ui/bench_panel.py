"""The Timing tab: time the open design on this device (torch, onnxruntime or both) in a worker
process, with a progress bar and Cancel; the result is kept with the design (undoable) and the
per-block chart shows each block's share of latency beside its share of MACs."""
from __future__ import annotations

import threading

import pyqtgraph as pg
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel,
                               QProgressBar, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from designer.bench.runner import BenchError, make_job, run_bench
from designer.bench.stats import Summary
from designer.core.timings import AddTimings, latest

from .document import DocumentModel


class _Relay(QObject):
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str)


class BenchPanel(QWidget):
    def __init__(self, document: DocumentModel, parent=None):
        super().__init__(parent)
        self.document = document
        self.runtime = QComboBox()
        self.runtime.addItems(["both", "torch", "onnxruntime"])
        self.threads = QSpinBox()
        self.threads.setRange(1, 256)
        self.threads.setValue(2)
        self.seconds = QDoubleSpinBox()
        self.seconds.setRange(0.2, 120)
        self.seconds.setValue(3.0)
        self.per_block = QCheckBox("per block")
        self.per_block.setChecked(True)
        self.start_button = QPushButton("Time it")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.status = QLabel("Not timed yet. MACs are not speed: time it on this machine.")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        for label, w in (("runtime", self.runtime), ("threads", self.threads),
                         ("seconds", self.seconds), (None, self.per_block),
                         (None, self.start_button), (None, self.cancel_button)):
            if label:
                row.addWidget(QLabel(label))
            row.addWidget(w)
        row.addStretch(1)
        self.plot = pg.PlotWidget(title="Share of latency (blue) beside share of MACs (orange), "
                                        "per block")
        self.plot.setLabel("left", "share", units="%")
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.plot, 1)
        self.relay = _Relay()
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
        job = make_job(self.document.design, self.runtime.currentText(), self.threads.value(),
                       budget_s=self.seconds.value(), per_block=self.per_block.isChecked())
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
                lines.append(f"<b>{runtime}</b> ({t['device']}, {t['threads']} threads, batch "
                             f"{t['batch']}): {s.text()} — {env.get('cpu', '')}")
        if lines:
            self.status.setText("<br>".join(lines))
        self.plot.clear()
        t = latest(design, "torch")
        blocks = t.get("blocks") if t else None
        if blocks:
            total_ms = sum(b["median_ms"] for b in blocks) or 1
            total_macs = sum(b["macs"] for b in blocks) or 1
            x = list(range(len(blocks)))
            self.plot.addItem(pg.BarGraphItem(x=[i - 0.2 for i in x], width=0.4, brush="#4a78c2",
                                              height=[100 * b["median_ms"] / total_ms for b in blocks]))
            self.plot.addItem(pg.BarGraphItem(x=[i + 0.2 for i in x], width=0.4, brush="#d9822b",
                                              height=[100 * b["macs"] / total_macs for b in blocks]))
            step = max(1, -(-len(blocks) // 14))
            self.plot.getAxis("bottom").setTicks(
                [[(i, b["name"]) for i, b in enumerate(blocks) if i % step == 0]])


def install(window) -> None:
    window.bench_panel = BenchPanel(window.document)
    window.add_tab(window.bench_panel, "Timing")
    window.menu("Tools").addAction("Time it on this device",
                                   lambda: window.tabs.setCurrentWidget(window.bench_panel))
