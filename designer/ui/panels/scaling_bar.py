"""α and ρ sliders with MobileNet's marks, and the rounding and dtype selectors. Every tick pushes
a SetSetting command; one drag merges into one undo step (each press and release starts a new
gesture), while each pick from a selector is a step of its own."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QWidget,
)

from designer.core.commands import SetSetting
from designer.core.design import DTYPES, ROUNDINGS
from designer.core.scaling import scaled_resolution

from ..shell.document import DocumentModel
from ..shell.view_state import Guard
from ..style import INK_SOFT, use_font

ALPHA_MARKS = (1.0, 0.75, 0.5, 0.25)
RESOLUTION_MARKS = (224, 192, 160, 128, 96)
RHO_MARKS = tuple(r / 224 for r in RESOLUTION_MARKS)
"""MobileNet's ρ values (224, 192, 160, 128 and 96 px of a 224 input), for any input size."""


class MarkedSlider(QSlider):
    """A horizontal slider with labelled tick marks at chosen values (not every N units)."""

    def __init__(self, lo: int, hi: int, parent=None):
        super().__init__(Qt.Horizontal, parent)
        self.setRange(lo, hi)
        self.setTickPosition(QSlider.NoTicks)
        self.marks: list[tuple[int, str]] = []
        self._groove_height = self.sizeHint().height()
        self._fit_height()

    def _fit_height(self) -> None:
        """Room under the groove for the labels in the slider's own font (larger in
        presentation mode)."""
        self.setMinimumHeight(self._groove_height + max(18, self.fontMetrics().height() + 4))

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._fit_height()

    def set_marks(self, marks: list[tuple[int, str]]) -> None:
        self.marks = marks
        self.update()

    def mark_positions(self) -> list[tuple[str, int]]:
        """(label, x in pixels) of every mark, where the handle's centre sits at that value."""
        opt = QStyleOptionSlider()
        self.initStyleOption(opt)
        groove = self.style().subControlRect(QStyle.CC_Slider, opt, QStyle.SC_SliderGroove, self)
        handle = self.style().subControlRect(QStyle.CC_Slider, opt, QStyle.SC_SliderHandle, self)
        span = groove.width() - handle.width()
        return [(label, groove.left() + handle.width() // 2 + QStyle.sliderPositionFromValue(
                    self.minimum(), self.maximum(), value, span)) for value, label in self.marks]

    def label_rect(self, label: str, x: int, metrics) -> QRect:
        """Where a mark's label goes: centred under its tick, kept inside the slider."""
        width = metrics.horizontalAdvance(label) + 2
        left = min(max(0, x - width // 2), self.width() - width)
        return QRect(left, self.height() - metrics.height(), width, metrics.height())

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.setPen(INK_SOFT)
        metrics = painter.fontMetrics()
        bottom = self.height()
        for label, x in self.mark_positions():
            painter.drawLine(x, bottom - metrics.height() - 6, x, bottom - metrics.height() - 1)
            painter.drawText(self.label_rect(label, x, metrics), Qt.AlignCenter, label)
        painter.end()


class ScalingBar(QWidget):
    def __init__(self, document: DocumentModel, parent=None):
        super().__init__(parent)
        self.document = document
        self.guard = Guard()
        row = QHBoxLayout(self)
        self.alpha = MarkedSlider(25, 150)
        self.alpha.set_marks([(round(a * 100), f"{a:g}") for a in ALPHA_MARKS])
        self.alpha.setToolTip("Width multiplier α: marks at 1, 0.75, 0.5, 0.25")
        self.alpha_label = QLabel()
        self.rho = MarkedSlider(30, 150)
        self.rho.setToolTip("Resolution multiplier ρ: marks at 224, 192, 160, 128, 96 px for a "
                            "224 input (the same ρ values, in pixels, for other inputs)")
        self.rho_label = QLabel()
        self.resolution = QComboBox()
        self.resolution.setToolTip("Jump to a standard resolution")
        self._marked_base: int | None = None
        self.rounding = QComboBox()
        self.rounding.addItems(ROUNDINGS)
        self.dtype = QComboBox()
        self.dtype.addItems(list(DTYPES))
        for w in (self.alpha_label, self.rho_label):
            use_font(w, 11, bold=True)
            w.setMinimumWidth(150)
        for label, w in (("α", self.alpha), (None, self.alpha_label), ("ρ", self.rho),
                         (None, self.rho_label), (None, self.resolution), ("rounding", self.rounding),
                         ("dtype", self.dtype)):
            if label:
                text = QLabel(label)
                use_font(text, 12, bold=True)
                row.addWidget(text)
            row.addWidget(w, 3 if isinstance(w, QSlider) else 0)
        self.gesture = 0
        for slider in (self.alpha, self.rho):
            slider.sliderPressed.connect(self._new_gesture)
            slider.sliderReleased.connect(self._new_gesture)
        self.alpha.valueChanged.connect(lambda v: self._set("alpha", v / 100, self.gesture))
        self.rho.valueChanged.connect(lambda v: self._set("rho", self._rho_value(v), self.gesture))
        self.resolution.activated.connect(self._jump)
        self.rounding.currentTextChanged.connect(lambda v: self._set("rounding", v))
        self.dtype.currentTextChanged.connect(lambda v: self._set("dtype", v))
        document.changed.connect(self.refresh)
        self.refresh()

    def _rho_value(self, slider: int) -> float:
        """Slider units are percent; a position within half a percent of a standard ρ snaps to
        it exactly (160/224, not 0.71)."""
        for rho in RHO_MARKS:
            if abs(slider - 100 * rho) < 0.5:
                return rho
        return slider / 100

    def _jump(self, index: int) -> None:
        self._set("rho", RHO_MARKS[index])

    def _mark_resolutions(self, base: int) -> None:
        """Label the ρ marks and the resolution picker in pixels of this design's input."""
        if base == self._marked_base:
            return
        self._marked_base = base
        sizes = [scaled_resolution(base, rho) for rho in RHO_MARKS]
        self.rho.set_marks([(round(100 * rho), str(px)) for rho, px in zip(RHO_MARKS, sizes)])
        with self.guard:
            self.resolution.clear()
            self.resolution.addItems([f"{px} px" for px in sizes])

    def _new_gesture(self) -> None:
        self.gesture += 1

    def _set(self, key: str, value, gesture: int | None = None) -> None:
        if not self.guard and getattr(self.document.design, key) != value:
            self.document.push(SetSetting(key, value, gesture))

    def refresh(self, *_) -> None:
        d = self.document.design
        with self.guard:
            self.alpha.setValue(round(d.alpha * 100))
            self.rho.setValue(round(d.rho * 100))
            self.rounding.setCurrentText(d.rounding)
            self.dtype.setCurrentText(d.dtype)
        self.alpha_label.setText(f"α = {d.alpha:.2f}")
        size = scaled_resolution(d.input_shape[1], d.rho)
        self.rho_label.setText(f"ρ = {d.rho:.3f} ({size} px)")
        self._mark_resolutions(d.input_shape[1])
        marks = [scaled_resolution(d.input_shape[1], rho) for rho in RHO_MARKS]
        self.resolution.setPlaceholderText(f"{size} px")  # any ρ's pixels, between marks too
        with self.guard:
            self.resolution.setCurrentIndex(marks.index(size) if size in marks else -1)
