"""What the peak live memory is called (issue 13): the README called it "what eager inference
needs", but running the exported modules eagerly holds more. The text now says it is the least a
run in the execution order holds; these tests hold the words to the figures."""
from pathlib import Path

import pytest

from designer.core.analysis import analyze
from designer.core.conventions import CONVENTIONS_MARKDOWN
from designer.core.presets import load_preset, names

ROOT = Path(__file__).resolve().parents[2]


def test_no_text_calls_the_peak_what_inference_needs():
    texts = [ROOT / "README.md", *sorted((ROOT / "designer").rglob("*.py"))]
    said = [str(p.relative_to(ROOT)) for p in texts
            if "inference needs" in " ".join(p.read_text(encoding="utf-8").split())]
    assert said == []


def test_the_conventions_say_the_peak_is_a_least_and_eager_holds_more():
    for text in (CONVENTIONS_MARKDOWN, (ROOT / "README.md").read_text(encoding="utf-8")):
        flat = " ".join(text.split())
        assert "the least a run in this order holds" in flat
        assert "eager" in flat and "holds more" in flat


@pytest.mark.parametrize("name", names())
def test_the_eager_peak_is_never_below_the_peak_live_memory(name):
    a = analyze(load_preset(name))
    assert a.eager_peak_activation_bytes >= a.peak_activation_bytes > 0
