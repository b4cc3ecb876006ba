"""The block's verdict as a headline: its MACs against a normal conv, with the papers' rule."""
from designer.core.analysis import analyze
from designer.core.block_compare import compare_blocks
from designer.core.presets import load_preset
from designer.core.verdict import block_verdict, headline, kinds_headline


def test_mobilenet_v1_separable_block_at_half_width_reads_0_127():
    # README: MobileNetV1 at α 0.5, 160 px, a separable block: 0.127× the MACs of a normal conv
    d = load_preset("mobilenet_v1")
    d.alpha, d.rho = 0.5, 160 / 224
    a = analyze(d)
    sep3 = next(b for b in a.blocks if b.name == "sep3")
    assert block_verdict(sep3) == "0.127× MACs · 1/M + 1/K²"
    m, k = sep3.output_shape[0], 3
    assert abs(1 / m + 1 / k**2 - 0.127) < 0.0015     # the rule the headline names


def test_a_normal_conv_is_one_and_a_pool_has_no_verdict():
    a = analyze(load_preset("vgg16"))
    by_name = {b.name: b for b in a.blocks}
    assert block_verdict(by_name["conv1_2"]) == "1.00× MACs"
    assert block_verdict(by_name["pool1"]) is None
    assert block_verdict(by_name["fc6"]) is None


def test_block_kinds_headline_names_separable_and_grouped():
    c = compare_blocks((64, 56, 56), 128, kernel=3, groups=4, expansion=6)
    sep = next(r for r in c.rows if r.kind == "sepconv")
    assert kinds_headline(c.rows) == ("grouped: 0.250× MACs · 1/g   ·   "
                                      f"separable: {headline('sepconv', sep.macs_ratio)}")
    assert abs(sep.macs_ratio - (1 / 128 + 1 / 9)) < 1e-12    # exactly the rule, no BN MACs
    assert headline("sepconv", sep.macs_ratio) == "0.119× MACs · 1/M + 1/K²"
