"""The inspector: the selected block's name and every parameter, with the kind's bounds. A value
the block refuses (a groups count that does not divide, say) is shown with its message, long
values in it cut as on the command line. Every
editor shows the document's value after every change (undo and redo included)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

import blocks
from designer.core.commands import SetNodeAttr, SetParam
from designer.core.design import WIDTH_RULES
from designer.core.hidden_linears import DERIVED_PARAMS
from designer.core.latency_explain import explain_block
from designer.core.receptive_field import field_short, field_text
from designer.core.safe_text import safe_text
from designer.core.scaling import fixed_width_reason

from ..shell.document import DocumentModel
from ..shell.view_state import Guard
from ..style import ERROR, MUTED, use_font


class Inspector(QWidget):
    def __init__(self, document: DocumentModel, parent=None):
        super().__init__(parent)
        self.document = document
        self.form = QFormLayout(self)
        self.editors: dict[str, QWidget] = {}
        self.node_id: str | None = None
        self.kind: str | None = None
        self.width_rule: QComboBox | None = None
        self.fixed: str | None = None
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR.name()};")
        self.guard = Guard()
        document.selection_changed.connect(self.rebuild)
        document.changed.connect(self.refresh)
        document.analysis_changed.connect(self.refresh)
        self.rebuild()

    def rebuild(self, *_) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.editors = {}
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.PlainText)
        self.message.setStyleSheet(f"color: {ERROR.name()};")
        sel = self.document.selected
        self.node_id = sel[0] if len(sel) == 1 else None
        if self.node_id is None:
            hint = QLabel("Select a block to edit it." if not sel else f"{len(sel)} blocks selected.")
            use_font(hint, 10)
            self.form.addRow(hint)
            return
        node = self.document.design.nodes[self.node_id]
        self.kind = node.kind
        name = QLineEdit(node.name)
        name.editingFinished.connect(lambda: self._set_attr("name", name.text().strip()))
        self.form.addRow("name", name)
        self.editors["name"] = name
        width = QComboBox()
        width.addItems(WIDTH_RULES)
        width.setCurrentText(node.width)
        width.setToolTip("How α treats this block: scale, fixed (classifier), min_base (≥ base)")
        width.currentTextChanged.connect(lambda v: self._set_attr("width", v))
        self.width_rule = width
        fixed = self.fixed = fixed_width_reason(node.kind, node.params)
        if fixed:  # the rule would claim "scale" where α never scales anything
            width.hide()
            self.form.addRow("width rule", QLabel(fixed))
        else:
            self.form.addRow("width rule", width)
        self.scaled = QLabel()
        self.scaled.setStyleSheet(f"color: {MUTED.name()};")
        self.scaled.setWordWrap(True)
        self.sees = QLabel()
        if node.kind in blocks.BLOCKS:
            derived = DERIVED_PARAMS.get(node.kind, ())
            for spec in blocks.get(node.kind).specs():
                if spec.name in derived:       # set by the wiring (the width rule says how)
                    continue
                editor = self._editor(spec, node.params.get(spec.name, spec.default))
                self.editors[spec.name] = editor
                self.form.addRow(spec.name, editor)
        self.form.addRow(self.scaled)
        self.form.addRow(self.sees)
        self.form.addRow(self.message)
        self.refresh()

    def _editor(self, spec, value) -> QWidget:
        if spec.type is bool:
            w = QCheckBox()
            w.setChecked(bool(value))
            w.toggled.connect(lambda v, k=spec.name: self._set_param(k, v))
        elif spec.choices:
            w = QComboBox()
            w.addItems([str(c) for c in spec.choices])
            w.setCurrentText(str(value))
            w.currentTextChanged.connect(lambda v, k=spec.name: self._set_param(k, v))
        elif spec.type is float:
            w = QDoubleSpinBox()
            w.setRange(spec.lo, spec.hi)
            w.setSingleStep(0.05)
            w.setValue(float(value) if isinstance(value, (int, float)) else spec.default)
            w.editingFinished.connect(lambda k=spec.name, w=w: self._set_param(k, w.value()))
        else:
            w = QSpinBox()
            w.setRange(int(spec.lo), int(spec.hi))
            if spec.lo == -1:
                w.setSpecialValueText("auto")
            w.setValue(value if isinstance(value, int) else spec.default)
            w.setKeyboardTracking(False)
            w.valueChanged.connect(lambda v, k=spec.name: self._set_param(k, v))
        w.setToolTip(spec.help or spec.name)
        return w

    def _set_param(self, key: str, value) -> None:
        if self.guard:
            return
        node = self.document.design.nodes.get(self.node_id)
        if node is not None and node.params.get(key) != value:
            self.document.push(SetParam(self.node_id, key, value))

    def _set_attr(self, attr: str, value: str) -> None:
        if self.guard:
            return
        node = self.document.design.nodes.get(self.node_id)
        if node is None or getattr(node, attr) == value:
            return
        fault = self.document.design.name_fault(self.node_id, value) if attr == "name" else None
        if fault is not None:
            self.message.setText(safe_text(f"{fault[0].upper()}{fault[1:]}, so this one stays "
                                           f"'{node.name}'."))
            self.editors["name"].setText(node.name)
            return
        self.document.push(SetNodeAttr(self.node_id, attr, value))

    def _scaled_widths(self) -> str:
        """Channel counts are stored at base width; say what α makes of them."""
        design = self.document.design
        cost = next((b for b in self.document.analysis.blocks if b.node_id == self.node_id), None)
        if design.alpha == 1 or cost is None or cost.block is None:
            return ""
        node = design.nodes[self.node_id]
        widths = [f"{s.name} {node.params.get(s.name, s.default)} → {getattr(cost.block, s.name)}"
                  for s in cost.block.specs() if s.width]
        return f"Widths are stored at α = 1; at α = {design.alpha:g}: " + ", ".join(widths) \
            if widths else ""

    def _sees(self) -> str:
        """The block's receptive field and estimated latency, as core computed them."""
        a = self.document.analysis
        cost = next((b for b in a.blocks if b.node_id == self.node_id), None)
        field = cost.field if cost else None
        tip = field_text(field, a.input_shape)
        text = field_short(field, a.input_shape)
        est, profile = self.document.estimate, self.document.profile
        if est is not None and self.node_id in est.by_id():
            text += f"; est. {est.by_id()[self.node_id]:.3f} ms"
            how = explain_block(cost.block, cost.input_shapes, profile, est.batch)
            tip += (f"\n\nEstimated latency, torch eager on {profile.name}"
                    f"{'' if profile.calibrated else ' (UNCALIBRATED)'}:\n"
                    + "\n".join(how.lines()))
        self.sees.setToolTip(tip)
        return text

    def refresh(self, *_) -> None:
        if self.node_id is None or self.node_id not in self.document.design.nodes:
            return
        node = self.document.design.nodes[self.node_id]
        if node.kind != self.kind or fixed_width_reason(node.kind, node.params) != self.fixed:
            self.rebuild()        # another kind, or a linear layer wired to be hidden or not
            return
        self._show_values(node)
        self.scaled.setText(self._scaled_widths())
        self.sees.setText(self._sees())
        problems = [p for p in self.document.analysis.problems if p.node_id == self.node_id]
        self.message.setText(safe_text("\n".join(
            (f"{p.field}: " if p.field else "") + p.message for p in problems)))

    def _show_values(self, node) -> None:
        """Put the document's values in the editors without pushing them back."""
        specs = {s.name: s for s in blocks.get(node.kind).specs()} if node.kind in blocks.BLOCKS \
            else {}
        with self.guard:
            for key, editor in [*self.editors.items(), ("width", self.width_rule)]:
                if key == "name":
                    if not editor.hasFocus() or editor.text().strip() == node.name:
                        editor.setText(node.name)
                elif key == "width":
                    editor.setCurrentText(node.width)
                else:
                    spec = specs[key]
                    value = node.params.get(key, spec.default)
                    if isinstance(editor, QCheckBox):
                        editor.setChecked(bool(value))
                    elif isinstance(editor, QComboBox):
                        editor.setCurrentText(str(value))
                    elif isinstance(editor, QDoubleSpinBox):
                        editor.setValue(float(value) if isinstance(value, (int, float))
                                        else spec.default)
                    else:
                        editor.setValue(value if isinstance(value, int) else spec.default)
