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
