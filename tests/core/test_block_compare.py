"""The block lesson: every kind on one input, its whole-block formula equal to the analysis."""
import csv
import io

import pytest

from designer.core.block_compare import compare_blocks


def by_kind(comparison):
    return {r.kind + (":g" if "grouped" in r.label else "") + (":se" if "SE" in r.label else ""): r
            for r in comparison.rows}


def test_block_kinds_lesson_64_to_128_at_56():
    c = compare_blocks((64, 56, 56), 128)
    rows = by_kind(c)
    assert list(rows) == ["conv", "conv:g", "sepconv", "fire", "ir", "conv3x3x3", "ir:se", "se",
                          "shuffle", "basic", "bottleneck"]
    normal = rows["conv"]
    assert normal.macs == 9 * 64 * 128 * 56 * 56 and normal.macs_ratio == 1
    assert normal.params == 9 * 64 * 128
    assert rows["sepconv"].macs_ratio == pytest.approx(1 / 128 + 1 / 9)
    assert rows["sepconv"].macs == 64 * 56 * 56 * (9 + 128)
    assert rows["conv:g"].macs_ratio == pytest.approx(1 / 4)
    assert rows["ir"].macs == 56 * 56 * 64 * 6 * (64 + 9 + 128)
    assert rows["fire"].macs == 56 * 56 * (64 * 16 + 16 * 64 + 9 * 16 * 64)
    assert any("K²·C·H·W = 3²·64·56·56" in f for f in rows["sepconv"].formulas)
    assert rows["sepconv"].formula == "C·H·W·(K² + M) = 64·56·56·(3² + 128) = 27,496,448"
    for r in c.rows:
        assert r.formula_macs == r.macs, r.label


@pytest.mark.parametrize("shape,out,kernel,t", [((32, 112, 112), 64, 3, 6), ((30, 7, 7), 50, 5, 6),
                                                ((16, 28, 20), 24, 7, 1), ((8, 9, 9), 8, 1, 3)])
def test_whole_block_formulas_equal_the_layer_sums(shape, out, kernel, t):
    c = compare_blocks(shape, out, kernel=kernel, expansion=t)
    for r in c.rows:
        assert r.formula_macs == r.macs, (r.label, r.formula)
        assert r.formula.endswith(f"= {r.macs:,}")


def test_groups_that_do_not_divide_are_left_out_with_the_reason():
    c = compare_blocks((30, 7, 7), 50)
    assert "conv:g" not in by_kind(c)
    assert "groups" in c.skipped[0] and "30" in c.skipped[0]
    # the newer kinds these shapes refuse, each with its reason (30 channels, 50 out)
    assert [x.split(":")[0] for x in c.skipped] == [
        "grouped conv, g = 4", "channel shuffle, g = 4", "ShuffleNetV2 unit",
        "ResNet bottleneck, p = 12"]
    assert "Left out: grouped conv" in c.to_markdown()


def test_bad_shape_is_a_clear_error():
    with pytest.raises(ValueError, match="input_shape"):
        compare_blocks((0, 5, 5), 3)
    with pytest.raises(ValueError, match="kernel"):
        compare_blocks((3, 5, 5), 3, kernel=99)


def test_csv_and_markdown_read_back():
    c = compare_blocks((64, 56, 56), 128)
    rows = list(csv.DictReader(io.StringIO(c.to_csv())))
    assert [int(r["macs"]) for r in rows] == [r.macs for r in c.rows]
    assert float(rows[2]["macs_ratio"]) == pytest.approx(1 / 128 + 1 / 9)
    md = c.to_markdown().splitlines()
    assert md[0] == "Block kinds, 64→128 channels at 56×56, 3×3 kernels, stride 1"
    assert md[4].startswith("| normal conv | 73,728 | 231,211,008 | 1.000 | 1.000 |")
    assert len([line for line in md if line.startswith("| ")]) == 1 + 11
    assert "Left out: ShuffleNetV2 unit" in c.to_markdown()


@pytest.mark.parametrize("c", [64, 32])
def test_three_stacked_3x3_convs_see_7x7_with_27_not_49_c_squared_weights(c):
    """The CNN course's lesson (cs231n, "Convolutional Networks": three 3×3 layers see 7×7 with
    27C² weights against one 7×7 layer's 49C²), computed from the stacked blocks."""
    rows = by_kind(compare_blocks((c, 28, 28), c))
    stack, normal = rows["conv3x3x3"], rows["conv"]
    assert stack.receptive_field == 7 and normal.receptive_field == 3
    assert stack.params == 27 * c * c and stack.macs == 27 * c * c * 28 * 28
    assert stack.formula_macs == stack.macs
    assert stack.formulas[-1] == (f"sees 7×7, as one 7×7 conv, with 3²·(C·M + 2·M²) = "
                                  f"{27 * c * c:,} weights against 7²·C·M = {49 * c * c:,} "
                                  "(27C² against 49C² when C = M)")
    assert [f.split(":")[0] for f in stack.formulas[:3]] == ["conv1", "conv2", "conv3"]


def test_every_row_says_what_it_sees():
    rows = by_kind(compare_blocks((16, 20, 20), 24, kernel=5))
    assert {k: r.receptive_field for k, r in rows.items()} == {
        "conv": 5, "conv:g": 5, "sepconv": 5, "fire": 3, "ir": 5, "conv3x3x3": 7,
        # SE's global pool: it sees the whole 20×20 input (and the padding around it)
        "ir:se": 24, "se": 20, "shuffle": 1, "basic": 5, "bottleneck": 3}  # ResNet: 3×3 kernels
    assert "| 5×5 |" in compare_blocks((16, 20, 20), 24, kernel=5).to_markdown()


def test_the_blocks_after_v2_in_the_lesson():
    c = compare_blocks((64, 56, 56), 64)
    rows = by_kind(c)
    assert not c.skipped and rows["shufflev2"].macs == 56 * 56 * 32 * (2 * 32 + 9)
    # SE on the inverted residual's 384-wide hidden tensor: s = _make_divisible(384 // 4, 8) = 96
    se_macs = 2 * 384 * 96
    assert rows["ir:se"].macs == rows["ir"].macs + se_macs
    note = next(f for f in rows["ir:se"].formulas if f.startswith("Squeeze-excitation"))
    assert f"2·384·96 = {se_macs:,}, {100 * se_macs / rows['ir:se'].macs:.2g} % of the block's" \
        in note
    se_params = 2 * 384 * 96 + 96 + 384
    assert f"{se_params:,}, {100 * se_params / rows['ir:se'].params:.1f} % of the block's" in note
    assert rows["ir:se"].formula.startswith("H·W·C·t·(C + K² + M) + 2·C·t·s = ")
    assert rows["se"].macs == 2 * 64 * 16 and rows["se"].params == 2 * 64 * 16 + 16 + 64
    shuffle = rows["shuffle"]
    assert (shuffle.macs, shuffle.params, shuffle.macs_ratio) == (0, 0, 0.0)
    assert any(f"reads and writes all C·H·W = {64 * 56 * 56:,} elements" in f
               for f in shuffle.formulas)
    assert rows["basic"].macs == 56 * 56 * 2 * 9 * 64 * 64
    assert rows["bottleneck"].macs == 56 * 56 * (64 * 16 + 9 * 16 * 16 + 16 * 64)
    for r in c.rows:
        assert r.formula_macs == r.macs, r.label


def test_a_bottleneck_needs_m_divisible_by_4_and_says_so():
    c = compare_blocks((16, 8, 8), 30, groups=2)
    assert "bottleneck" not in by_kind(c)
    assert any(s.startswith("ResNet bottleneck, p = 7: needs M divisible by 4") for s in c.skipped)
