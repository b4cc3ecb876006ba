"""The eager-PyTorch peak, worked by hand: what Python's references keep alive (fp32 bytes)."""
from designer.core.analysis import analyze
from designer.core.builder import Builder


def test_the_image_and_a_blocks_input_stay_alive_while_it_runs():
    b = Builder("m", input_shape=(4, 8, 8))
    b.add("conv", "c1", out_channels=8)             # conv, BN, ReLU in place
    b.add("conv", "c2", out_channels=2)
    a = analyze(b.build())
    image, c1, c2 = 4 * 64 * 4, 8 * 64 * 4, 2 * 64 * 4
    assert a.peak_activation_bytes == 2 * c1                       # c1's BN: conv out + BN out
    assert a.eager_peak_activation_bytes == image + 2 * c1          # ... and the caller's image
    assert a.eager_peak_at == "c1/bn"


def test_a_units_input_lives_until_the_unit_returns():
    b = Builder("m", input_shape=(4, 8, 8))
    b.add("sepconv", "sep", out_channels=8)
    a = analyze(b.build())
    x, dw, pw = 4 * 64 * 4, 4 * 64 * 4, 8 * 64 * 4
    assert a.peak_activation_bytes == 2 * pw                        # pointwise conv out + BN out
    # the block's input (the image), the depthwise unit's output (the pointwise unit's input),
    # and the pointwise conv's and BN's outputs
    assert a.eager_peak_activation_bytes == x + dw + 2 * pw
    assert a.eager_peak_at == "sep/pointwise.bn"


def test_a_tensor_several_units_read_lives_until_the_block_returns():
    b = Builder("m", input_shape=(8, 4, 4))
    b.add("fire", "fire", squeeze=2, expand1x1=4, expand3x3=4)
    a = analyze(b.build())
    x, s, e = 8 * 16 * 4, 2 * 16 * 4, 4 * 16 * 4
    # concat: image, squeeze output (named, still held), both expands and the result
    assert a.eager_peak_activation_bytes == x + s + e + e + 2 * e
    assert a.eager_peak_at == "fire/concat"
    assert a.peak_activation_bytes == e + e + 2 * e


def test_max_pooling_also_holds_its_int64_indices():
    b = Builder("m", input_shape=(1, 4, 4))
    b.add("maxpool", "pool", kernel=2, stride=2)
    a = analyze(b.build())
    assert a.peak_activation_bytes == 64 + 16
    assert a.eager_peak_activation_bytes == 64 + 16 + 2 * 16


def test_an_output_forward_keeps_by_name_lives_to_the_end():
    b = Builder("m", input_shape=(2, 4, 4))
    b.add("conv", "c1", out_channels=2, bn=False)
    b.add("conv", "c2", out_channels=2, bn=False)
    b.add("add", "add", inputs=["c1", "c2"])
    b.add("conv", "c3", out_channels=16, bn=False)
    a = analyze(b.build())
    t = 2 * 16 * 4
    big = 16 * 16 * 4
    assert a.memory_timeline[-2:] == [("c3/conv", t + big), ("c3/act", big)]
    # c1's output feeds c2 and the add, so forward names it and holds it; the image too
    assert a.eager_peak_activation_bytes == t + t + t + big
