"""A design that fails while it is taken over leaves the open one as it was: name, path, title,
blocks (issue 13: after "Cannot open the design" the window showed the bad file)."""
from designer.core import io
from designer.core.presets import load_preset
from designer.ui.shell import document as document_module


def test_a_design_that_fails_to_load_leaves_the_open_one(window, tmp_path, monkeypatch, told):
    good = tmp_path / "good.json"
    io.save(load_preset("mobilenet_v1"), good)
    bad_design = load_preset("squeezenet1_1")
    bad_design.name = "poison"
    bad = tmp_path / "poison.json"
    io.save(bad_design, bad)
    w = window()
    assert w.files.open_path(str(good))
    before = (w.document.design.name, len(w.document.design.nodes), w.document.path,
              w.windowTitle())
    real = document_module.analyze

    def analysis_that_fails_on_poison(design, previous=None):
        if design.name == "poison":
            raise RuntimeError("a fault while taking over the design")
        return real(design, previous)
    monkeypatch.setattr(document_module, "analyze", analysis_that_fails_on_poison)
    assert not w.files.open_path(str(bad))
    assert told[-1][1] == "Cannot open the design"
    after = (w.document.design.name, len(w.document.design.nodes), w.document.path,
             w.windowTitle())
    assert after == before and w.document.analysis.ok
