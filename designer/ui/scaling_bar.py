"""α and ρ sliders with MobileNet's marks, and the rounding and dtype selectors. Every tick pushes
a SetSetting command; a drag merges into one undo step."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QWidget

from designer.core.commands import SetSetting
from designer.core.design import DTYPES, ROUNDINGS
from designer.core.scaling import scaled_resolution

from .document import DocumentModel
from .style import font

ALPHA_MARKS = (1.0, 0.75, 0.5, 0.25)
RESOLUTION_MARKS = (224, 192, 160, 128, 96)


class ScalingBar(QWidget):
    def __init__(self, document: DocumentModel, parent=None):
        super().__init__(parent)
        self.document = document
        self._updating = False
        row = QHBoxLayout(self)
        self.alpha = QSlider(Qt.Horizontal)
        self.alpha.setRange(25, 150)
        self.alpha.setTickInterval(25)
        self.alpha.setTickPosition(QSlider.TicksBelow)
        self.alpha.setToolTip("Width multiplier α: marks at 1, 0.75, 0.5, 0.25")
        self.alpha_label = QLabel()
        self.rho = QSlider(Qt.Horizontal)
        self.rho.setRange(30, 150)
        self.rho.setTickPosition(QSlider.TicksBelow)
        self.rho.setTickInterval(10)
        self.rho.setToolTip("Resolution multiplier ρ: marks at 224, 192, 160, 128, 96 px for a "
                            "224 input")
        self.rho_label = QLabel()
        self.resolution = QComboBox()
        self.resolution.addItems([f"{r} px" for r in RESOLUTION_MARKS])
        self.resolution.setToolTip("Jump to a standard resolution")
        self.rounding = QComboBox()
        self.rounding.addItems(ROUNDINGS)
        self.dtype = QComboBox()
        self.dtype.addItems(list(DTYPES))
        for w in (self.alpha_label, self.rho_label):
            w.setFont(font(11, bold=True))
            w.setMinimumWidth(150)
        for label, w in (("α", self.alpha), (None, self.alpha_label), ("ρ", self.rho),
                         (None, self.rho_label), (None, self.resolution), ("rounding", self.rounding),
                         ("dtype", self.dtype)):
            if label:
                text = QLabel(label)
                text.setFont(font(12, bold=True))
                row.addWidget(text)
            row.addWidget(w, 3 if isinstance(w, QSlider) else 0)
        self.alpha.valueChanged.connect(lambda v: self._set("alpha", v / 100))
        self.rho.valueChanged.connect(lambda v: self._set("rho", self._rho_value(v)))
        self.resolution.activated.connect(self._jump)
        self.rounding.currentTextChanged.connect(lambda v: self._set("rounding", v))
        self.dtype.currentTextChanged.connect(lambda v: self._set("dtype", v))
        document.changed.connect(self.refresh)
        self.refresh()

    def _rho_value(self, slider: int) -> float:
        """Slider units are percent; a position within half a percent of a standard resolution
        snaps to it exactly (160/224, not 0.71)."""
        base = self.document.design.input_shape[1]
        for r in RESOLUTION_MARKS:
            if abs(slider - 100 * r / base) < 0.5:
                return r / base
        return slider / 100

    def _jump(self, index: int) -> None:
        self._set("rho", RESOLUTION_MARKS[index] / self.document.design.input_shape[1])

    def _set(self, key: str, value) -> None:
        if not self._updating and getattr(self.document.design, key) != value:
            self.document.push(SetSetting(key, value))

    def refresh(self) -> None:
        d = self.document.design
        self._updating = True
        self.alpha.setValue(round(d.alpha * 100))
        self.rho.setValue(round(d.rho * 100))
        self.rounding.setCurrentText(d.rounding)
        self.dtype.setCurrentText(d.dtype)
        self._updating = False
        self.alpha_label.setText(f"α = {d.alpha:.2f}")
        size = scaled_resolution(d.input_shape[1], d.rho)
        self.rho_label.setText(f"ρ = {d.rho:.3f} ({size} px)")
        self._updating = True
        self.resolution.setCurrentIndex(RESOLUTION_MARKS.index(size) if size in RESOLUTION_MARKS
                                        else -1)
        self._updating = False
