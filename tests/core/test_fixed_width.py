"""Where α does not scale a block, the inspector says so instead of showing "scale"."""
from designer.core.analysis import analyze
from designer.core.presets import load_preset
from designer.core.scaling import fixed_width_reason


def test_alpha_never_scales_a_linear_layer_and_the_reason_says_classifier():
    d = load_preset("vgg16")
    by_name = {n.name: n for n in d.nodes.values()}
    fc8 = by_name["fc8"]
    assert fc8.width == "scale"                              # what the file says ...
    d.alpha = 0.5
    assert analyze(d).block(fc8.id).output_shape == (1000,)  # ... yet α leaves its 1000 outputs
    assert fixed_width_reason("linear", fc8.params) == "fixed (classifier)"
    assert fixed_width_reason("maxpool", by_name["pool1"].params) == "no widths of its own"
    assert fixed_width_reason("conv", by_name["conv1_1"].params) is None
    assert fixed_width_reason("conv", {"out_channels": -3}) is None   # invalid: said elsewhere
