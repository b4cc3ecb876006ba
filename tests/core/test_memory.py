"""Activation memory: totals, peak live memory with lifetimes, block-boundary peak (hand-worked)."""
from designer.core.analysis import analyze
from designer.core.builder import Builder


def test_chain_peak_and_total_by_hand():
    b = Builder("m", input_shape=(3, 8, 8))
    b.add("conv", "c1", out_channels=4, bn=False)
    b.add("conv", "c2", out_channels=2, bn=False)
    a = analyze(b.build())
    # input 3·64·4 = 768 B, c1 out 4·64·4 = 1024 B, c2 out 2·64·4 = 512 B; ReLU is in place
    assert a.activation_bytes_total == 768 + 1024 + 512
    assert a.block("c1").activation_bytes == 1024
    assert a.peak_activation_bytes == 768 + 1024          # running c1: its input and output
    assert a.block_peak_activation_bytes == 768 + 1024
    assert [v for _, v in a.memory_timeline] == [1792, 1024, 1536, 512]


def test_dtype_scales_bytes():
    b = Builder("m", input_shape=(3, 8, 8))
    b.add("conv", "c1", out_channels=4, bn=False)
    d = b.build()
    d.dtype = "int8"
    assert analyze(d).activation_bytes_total == 192 + 256


def test_residual_keeps_the_input_alive_and_block_peak_ignores_the_expansion():
    b = Builder("m", input_shape=(8, 10, 10))
    b.add("ir", "ir", out_channels=8, expansion=6)
    a = analyze(b.build())
    e = 4 * 100  # bytes of one channel of 10×10 fp32
    # while the depthwise BN runs: input (8ch, kept for the add) + dw conv out (48) + bn out (48)
    assert a.peak_activation_bytes == e * (8 + 48 + 48)
    # block boundary: only input and output cross it
    assert a.block_peak_activation_bytes == e * (8 + 8)


def test_mobilenet_v2_block_peak_is_far_below_the_eager_peak():
    from designer.core.presets import load_preset
    a = analyze(load_preset("mobilenet_v2"))
    assert a.block_peak_activation_bytes < a.peak_activation_bytes / 3
    # the first bottleneck at 112×112: 32 in + 16 out channels, fp32
    assert a.block_peak_activation_bytes == 112 * 112 * (32 + 16) * 4
