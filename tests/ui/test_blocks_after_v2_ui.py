"""The blocks after MobileNetV2 in the window, as a user meets them: palette entries with their
formulas, a double-click that appends one, a block that expands on the canvas into its layers,
and the formula panel's numbers (SE's share of its block, the shuffle's memory traffic)."""
from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from designer.core.presets import load_preset
from tests.model_files import every_new_kind


def node(w, name):
    return w.document.design.node_by_name(name)


def double_click(w, item):
    w.view.centerOn(item)
    pos = w.view.mapFromScene(item.scenePos() + QPointF(30, 30))
    QTest.mouseDClick(w.view.viewport(), Qt.LeftButton, pos=pos)
    QTest.mouseRelease(w.view.viewport(), Qt.LeftButton, pos=pos)


NEW_ENTRIES = {"Squeeze-excitation": ("se", "2·C·s"), "Channel shuffle": ("shuffle", "0 MACs"),
               "ShuffleNetV2 unit": ("shufflev2", "H·W·b·(2·b + 9)"),
               "ShuffleNetV2 down": ("shufflev2", "both"),
               "ResNet basic block": ("basic", "9·C·M + 9·M²"),
               "ResNet bottleneck": ("bottleneck", "9·p²"),
               "MobileNetV3 bneck": ("ir", "2·C·t·s"), "MBConv (EfficientNet)": ("ir", "SE"),
               "Dilated conv": ("conv", "dilation")}


def test_palette_offers_every_new_kind_with_its_formula_and_appends_it(window):
    w = window(load_preset("mobilenet_v2"))
    w.document.select([node(w, "conv_last").id])
    for label, (kind, formula) in NEW_ENTRIES.items():
        (item,) = w.palette.findItems(label, Qt.MatchExactly)
        assert item.data(Qt.UserRole)[0] == kind and formula in item.toolTip(), label
        assert not item.icon().isNull()
    (item,) = w.palette.findItems("MobileNetV3 bneck", Qt.MatchExactly)
    before = set(w.document.design.nodes)
    w.palette.itemDoubleClicked.emit(item)
    (new,) = set(w.document.design.nodes) - before
    added = w.document.design.nodes[new]
    assert added.kind == "ir" and added.params["se"] == "mobilenetv3"
    assert added.params["activation"] == "hardswish"
    cost = w.document.analysis.block(new)
    assert cost.ok and any(la.name == "se.fc1" for la in cost.layers)


def test_a_bottleneck_expands_on_the_canvas_into_its_layers(window):
    w = window(load_preset("resnet50"))
    item = w.scene.items_by_id[node(w, "layer2.0").id]
    below = w.scene.items_by_id[node(w, "layer2.1").id]
    y_below = below.pos().y()
    double_click(w, item)
    assert item.expanded
    # conv1 bn1 relu1 conv2 bn2 relu2 conv3 bn3 downsample.0 downsample.1 add relu, less BN/acts
    names = [line.split()[0] for line in item.layer_lines]
    assert names == ["conv1", "conv2", "conv3", "downsample.0", "add"]
    assert below.pos().y() > y_below
    double_click(w, item)
    assert not item.expanded and below.pos().y() == y_below


def test_formula_panel_shows_se_share_and_shuffle_traffic_with_numbers(window):
    w = window(load_preset("mobilenet_v3_large"))
    block = node(w, "features.4")
    w.document.select([block.id])
    text = w.formulas.toPlainText()
    # features.4: 24 → 72 (expanded) → SE squeezes 72 to _make_divisible(72 // 4, 8) = 24 → 40
    assert "se.fc1" in text and "1²·72·24 + 24 = 1,752" in text
    assert "Squeeze-excitation (C = 72 squeezed to s = 24): MACs 2·C·s = 2·72·24 = 3,456" in text
    cost = w.document.analysis.block(block.id)
    assert f"{100 * 3456 / cost.macs:.2g} % of the block's" in text
    w2 = window(load_preset("shufflenet_v2_x1_0"))
    w2.document.select([node(w2, "stage3.1").id])
    text = w2.formulas.toPlainText()
    assert f"reads and writes all C·H·W = {232 * 14 * 14:,} elements" in text
    assert "0 MACs, 0 parameters" in text


def test_every_new_kind_expands_on_the_canvas_into_its_layers(window):
    w = window(every_new_kind())
    for name in ("dilated", "bneck", "mbconv", "se", "shuffle", "unit", "unit_down", "basic",
                 "bottleneck", "dilated_dw"):
        nid = node(w, name).id
        item = w.scene.items_by_id[nid]
        cost = w.document.analysis.block(nid)
        double_click(w, item)
        assert item.expanded, name
        assert [line.split()[0] for line in item.layer_lines] == [
            la.name for la in cost.layers if la.op not in ("act", "bn")], name
        double_click(w, item)
        assert not item.expanded, name
