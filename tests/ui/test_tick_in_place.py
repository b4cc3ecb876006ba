"""An α tick redraws only what changed (issue 12's speed at scale): blocks get new texts in place,
but nothing is placed again, no wire is routed again and no group frame is recomputed; a move,
by contrast, does all three."""
from designer.core.commands import MoveNodes
from designer.core.presets import load_preset
from designer.ui.canvas import canvas as canvas_module


def test_an_alpha_tick_rewrites_texts_only(window, monkeypatch):
    w = window(load_preset("googlenet"))
    calls = {"place": 0, "route": 0, "frames": 0, "content": 0}
    route, frames = w.scene.router.route, canvas_module.group_frames

    def counted(name, f):
        def call(*a, **k):
            calls[name] += 1
            return f(*a, **k)
        return call
    monkeypatch.setattr(w.scene.router, "route", counted("route", route))
    monkeypatch.setattr(w.scene, "_place_items", counted("place", w.scene._place_items))
    monkeypatch.setattr(canvas_module, "group_frames", counted("frames", frames))
    for item in w.scene.items_by_id.values():
        monkeypatch.setattr(item, "set_content", counted("content", item.set_content))
    before = {n: i.pos() for n, i in w.scene.items_by_id.items()}
    w.scaling.alpha.setValue(50)
    assert calls["place"] == calls["route"] == calls["frames"] == 0
    assert 0 < calls["content"] <= len(w.document.design.nodes) + 1
    assert {n: i.pos() for n, i in w.scene.items_by_id.items()} == before
    conv1 = w.document.design.node_by_name("conv1").id
    x, y = w.document.design.layout[conv1]
    w.document.push(MoveNodes({conv1: (x + 300, y)}))
    assert calls["place"] == calls["route"] == calls["frames"] == 1


def _painted(w, qtbot):
    """Paint the canvas as the screen would (a grab paints the viewport)."""
    w.view.viewport().grab()


def test_an_alpha_tick_rewrites_only_the_blocks_in_view_and_the_rest_as_they_come_in(
        window, qtbot):
    from designer.core.builder import generated_chain
    from designer.ui.canvas.node_item import describe

    w = window(generated_chain(200))
    w.view.resetTransform()
    w.view.centerOn(w.scene.items_by_id["stem"])
    _painted(w, qtbot)
    far = w.scene.items_by_id["ir177"]
    before = far.badge
    w.scaling.alpha.setValue(50)
    shown = w.scene.in_view()
    assert "stem" in shown and "ir177" not in shown
    assert far.pending is not None and far._badge == before     # left for later
    assert all(w.scene.items_by_id[n].pending is None for n in shown)
    expected = describe(w.document.analysis.block("ir177"))
    assert expected[2] != before                                 # α changed its numbers
    w.view.centerOn(far)
    _painted(w, qtbot)
    # painted with the new numbers: brought up to date before the paint read its texts
    assert far.pending is None
    assert (far._title, far._subtitle, far._badge) == expected[:3]


def test_a_block_off_screen_reads_the_new_numbers_whoever_asks(window):
    from designer.core.builder import generated_chain

    w = window(generated_chain(200))
    w.view.resetTransform()
    w.view.centerOn(w.scene.items_by_id["stem"])
    w.scaling.alpha.setValue(50)
    far = w.scene.items_by_id["conv199"]
    assert far.pending is not None
    cost = w.document.analysis.block("conv199")
    assert far.subtitle == f"conv → {'×'.join(map(str, cost.output_shape))}"
    assert "16×64×64" in far.subtitle                  # α 0.5 of 32 channels
    assert far.pending is None
    other = w.scene.items_by_id["fire200"] if "fire200" in w.scene.items_by_id \
        else w.scene.items_by_id["sepconv198"]
    assert "16×64×64" in other.toolTip()              # the tooltip is brought up to date too
    other.set_expanded(True)
    assert other.expanded and other.layer_lines
