"""Estimate against measurement, per block, under the Timing tab's chart: after a run with per-block
times, each block's measured median beside core's roofline estimate, and the whole model's error
and the blocks' rank correlation in words (core.estimate_check computes them; this draws).
Also Tools ▸ Calibrate this machine, which measures the device profile the estimate needs."""
from __future__ import annotations

import subprocess
import sys
import threading

import pyqtgraph as pg
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from designer.core.estimate_check import EstimateCheck, check_estimate
from designer.core.latency import saved_profile
from designer.core.timings import Timing
from designer.lifeline import child_env

from ..charts.axes import fit_reason, scale_plot, show_reason
from ..charts.plot_menu import without_plot_options
from ..shell.document import DocumentModel
from ..style import ESTIMATED, INK, MEASURED, theme

NO_PROFILE = ("No latency estimate to compare: this machine has no device profile yet "
              "(Tools ▸ Calibrate this machine).")


class EstimateVsMeasured(QWidget):
    def __init__(self, document: DocumentModel, parent=None):
        super().__init__(parent)
        self.document = document
        self.plot = pg.PlotWidget(title="Measured (blue) against estimated (green)")
        without_plot_options(self.plot.getPlotItem())
        self.plot.setLabel("left", "ms")
        self.reason = pg.TextItem(color=INK, anchor=(0.5, 0.5))
        self.plot.addItem(self.reason, ignoreBounds=True)
        self.bars: list[pg.BarGraphItem] = []
        theme().changed.connect(self._on_theme_changed)
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        layout.addWidget(self.text)
        self.check: EstimateCheck | None = None

    def _on_theme_changed(self, *_) -> None:
        scale_plot(self.plot, [self.reason])

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        fit_reason(self.plot, self.reason)

    def show_timing(self, timing: Timing | None) -> None:
        """Compare with a torch timing that has per-block times; hide when there is none."""
        for bars in self.bars:
            self.plot.removeItem(bars)
        self.bars = []
        self.check = None
        d = self.document
        if not timing or not timing.blocks or timing.runtime != "torch":
            self.setVisible(False)
            return
        self.setVisible(True)
        if d.profile is None or d.analysis.problems:
            self.text.setText("")
            self.plot.setXRange(-1, 1, padding=0)
            self.plot.setYRange(0, 1, padding=0)
            show_reason(self.plot, self.reason, NO_PROFILE if d.profile is None else
                        "No estimate while the design has problems.", 1)
            return
        show_reason(self.plot, self.reason, None, 1)
        self.check = c = check_estimate(d.analysis, d.profile, timing)
        x = list(range(len(c.blocks)))
        self.bars = [pg.BarGraphItem(x=[i - 0.2 for i in x], width=0.4,
                                     height=[b.measured_ms for b in c.blocks], brush=MEASURED),
                     pg.BarGraphItem(x=[i + 0.2 for i in x], width=0.4,
                                     height=[b.estimated_ms for b in c.blocks], brush=ESTIMATED)]
        for bars in self.bars:
            self.plot.addItem(bars)
        step = max(1, -(-len(c.blocks) // 14))
        self.plot.getAxis("bottom").setTicks(
            [[(i, b.name) for i, b in enumerate(c.blocks) if i % step == 0]])
        self.plot.setXRange(-0.6, len(c.blocks) - 0.4, padding=0)
        self.plot.enableAutoRange(axis="y")
        self.text.setText(c.text())


class _Relay(QObject):
    done = Signal(str)


def calibrate_in_background(document: DocumentModel, on_done) -> threading.Thread:
    """Run ``python -m designer calibrate`` in a child process (torch stays out of the app) that
    dies with the app (:mod:`designer.lifeline`), then give the document the saved profile; ``on_done(message)`` is called on the GUI thread."""
    relay = _Relay()
    relay.done.connect(on_done)

    def work() -> None:
        try:
            process = subprocess.Popen([sys.executable, "-m", "designer", "calibrate"],
                                       stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, text=True, env=child_env())
        except OSError as err:
            relay.done.emit(str(err))
            return
        limit = threading.Timer(600, process.kill)
        limit.start()
        errors = process.stderr.read()              # stdin stays open meanwhile: its lifeline
        code = process.wait()
        limit.cancel()
        process.stdin.close()
        relay.done.emit("" if code == 0 else (errors.strip().splitlines() or ["failed"])[-1])
    thread = threading.Thread(target=work, daemon=True)
    thread.relay = relay
    thread.start()
    return thread


def install(window) -> None:
    def finished(error: str) -> None:
        window.calibrate_action.setEnabled(True)
        if error:
            window.statusBar().showMessage(f"Calibration failed: {error}", 10000)
            return
        window.document.set_profile(*saved_profile())
        window.statusBar().showMessage("Calibrated this machine: the latency estimate now uses "
                                       "its profile.", 10000)

    def start() -> None:
        window.calibrate_action.setEnabled(False)
        window.statusBar().showMessage("Calibrating this machine (about 20 s, in a worker "
                                       "process)…")
        window.calibration = calibrate_in_background(window.document, finished)
    window.calibrate_action = window.menu("Tools").addAction(
        "Calibrate this machine (latency estimate)", start)
