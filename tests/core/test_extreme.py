"""Extreme designs are analysed exactly or rejected with a located message, never hang."""
import time

from designer.core.analysis import analyze
from designer.core.builder import Builder, generated_chain


def test_five_thousand_blocks():
    d = generated_chain(5000)
    t = time.perf_counter()
    a = analyze(d)
    elapsed = time.perf_counter() - t
    assert a.ok and len(a.blocks) == 5000
    assert a.params == sum(b.params for b in a.blocks)
    assert elapsed < 5, elapsed   # a hang guard, not a speed goal (see benchmarks/)


def test_4096_channels_on_a_4096_square_input_is_exact():
    b = Builder("huge", input_shape=(3, 4096, 4096))
    b.add("conv", "c1", out_channels=4096, bn=False)
    b.add("pwconv", "c2", out_channels=4096, bn=False)
    a = analyze(b.build())
    assert a.ok
    assert a.macs == 9 * 3 * 4096 * 4096 * 4096 + 4096 * 4096 * 4096 * 4096
    assert a.peak_activation_bytes == 2 * 4096 * 4096 * 4096 * 4


def test_rho_that_collapses_a_layer_is_located():
    b = Builder("t", input_shape=(3, 224, 224))
    b.add("conv", "c1", out_channels=8, kernel=7, stride=2, padding=0)
    b.add("maxpool", "p1", kernel=3, stride=2)
    b.add("conv", "c2", out_channels=8, kernel=7, padding=0)
    d = b.build(rho=0.1)
    a = analyze(d)
    assert [(p.node_name, "no output" in p.message) for p in a.problems] == [("c2", True)]
    assert a.block("c1").ok and a.block("p1").ok


def test_alpha_at_both_bounds_on_every_preset():
    from designer.core.presets import load_preset, names
    for name in names():
        for alpha in (0.25, 1.5):
            d = load_preset(name)
            d.alpha = alpha
            assert analyze(d).ok, (name, alpha)
