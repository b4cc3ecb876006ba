"""A block's latency estimate written out term by term: the lines add up to the estimate,
and each shows the layer's own numbers (MACs, bytes, rates) and its factor."""
import dataclasses
import re

import pytest

from designer.core.analysis import analyze
from designer.core.latency import KINDS, DeviceProfile, KindRate, block_ms, layer_kind, layer_work
from designer.core.latency_explain import explain_block
from designer.core.presets import load_preset

RATES = {k: KindRate(5.0, 40_000.0, 20_000.0) for k in KINDS}
RATES["conv"] = KindRate(12.0, 80_000.0, 30_000.0, 9_000.0)
RATES["pool"] = KindRate(4.0, 550.0, 30_000.0, 0.0, 55.0)
RATES["conv_stem"] = KindRate(11.0, 60_000.0, 30_000.0, 0.0, 1_500.0)
PROFILE = DeviceProfile("test", tuple(RATES.items()), True, network_factor=1.4, glue_us=4.5,
                        conv_factor=1.1, fresh_bytes_per_us=4_000.0)


@pytest.mark.parametrize("preset", ["resnet18", "mobilenet_v2", "googlenet", "vgg16"])
def test_the_lines_add_up_to_the_block_estimate(preset):
    a = analyze(load_preset(preset))
    for b in a.blocks:
        how = explain_block(b.block, b.input_shapes, PROFILE)
        assert how.total_ms == pytest.approx(block_ms(b.block, b.input_shapes, PROFILE))
        lines = how.lines()
        assert lines[-1] == f"total: {how.total_ms * 1e3:.1f} µs = {how.total_ms:.3f} ms"
        assert lines[-2] == (f"glue: 4.5 µs × {len(b.layers)} layer"
                             f"{'' if len(b.layers) == 1 else 's'} = {4.5 * len(b.layers):.1f} µs")
        for layer, t, line in zip(b.layers, how.layers, lines):
            kind = layer_kind(layer)
            assert t.factor == {"pool": 1.0, "conv": 1.1, "conv_stem": 1.1}.get(kind, 1.4)
            ops, nbytes = layer_work(layer)
            assert line.startswith(f"{layer.name} ({kind}): overhead {RATES[kind].overhead_us:.1f} µs")
            if kind not in ("view",):
                assert f"{nbytes:,} B /" in line
            if (kind in ("conv", "conv_stem", "conv1x1", "dwconv", "linear")
                    and RATES[kind].macs_per_us):
                assert f"{ops:,} MACs" in line
            shown = [float(x) for x in re.findall(r"= ([\d.]+) µs", line)]
            assert shown[-1] == pytest.approx(t.us, abs=0.051)


def test_a_stem_is_priced_by_its_macs_and_its_outputs():
    """VGG16's first conv reads the image's 3 channels: a stem, with its own MAC rate and a
    cost per output element; the next conv (64 channels in) is a dense conv."""
    a = analyze(load_preset("vgg16"))
    stem, conv = a.blocks[0], a.blocks[1]
    assert [layer_kind(la) for la in (stem.layers[0], conv.layers[0])] == ["conv_stem", "conv"]
    line = explain_block(stem.block, stem.input_shapes, PROFILE).lines()[0]
    macs, n = 3 * 9 * 64 * 224 * 224, 64 * 224 * 224
    assert line.startswith("conv (conv_stem): overhead 11.0 µs")
    assert f"{macs:,} MACs / 60 G MACs/s = {macs / 60_000:.1f} µs" in line
    assert f"{n:,} outputs / 1.5 G outputs/s = {n / 1_500:.1f} µs" in line and "× 1.10" in line


def test_a_dense_conv_shows_weights_and_a_pool_its_outputs():
    a = analyze(load_preset("vgg16"))
    conv = explain_block(a.blocks[1].block, a.blocks[1].input_shapes, PROFILE).lines()[0]
    w = a.blocks[1].layers[0].params * 4
    assert f"weights {w:,} B / 9 GB/s = {w / 9_000:.1f} µs" in conv and "× 1.10" in conv
    pool = next(b for b in a.blocks if b.name == "pool1")
    line = explain_block(pool.block, pool.input_shapes, PROFILE).lines()[0]
    n = 64 * 112 * 112
    assert f"{n:,} outputs / 0.055 G outputs/s = {n / 55:.1f} µs" in line and " × " not in line.split("=")[-1]
    big = dataclasses.replace(PROFILE, fresh_bytes_per_us=0.0)
    assert "fresh pages" not in "".join(explain_block(a.blocks[1].block, a.blocks[1].input_shapes,
                                                      big).lines())
