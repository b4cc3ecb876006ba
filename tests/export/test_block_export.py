"""Every registered block kind, with varied parameters: the generated PyTorch module has exactly
the analysis's parameters, MACs (forward hooks) and output shape; the kinds and options added
after MobileNetV2 (SE, shuffle, ResNet blocks, dilation, the new activations) also go through
ONNX, where onnxruntime must agree with torch."""
import pytest

import blocks
from designer.core.analysis import analyze
from designer.core.builder import Builder
from designer.export.check import check_module
from designer.export.pytorch import build_block_modules, build_module

VARIANTS = {
    "conv": [{}, {"out_channels": 24, "kernel": 5, "stride": 2, "padding": 1, "groups": 4,
                  "bias": True, "bn": False, "activation": "relu6"},
             {"out_channels": 16, "kernel": 1, "activation": "none"},
             {"out_channels": 8, "dilation": 2, "stride": 2, "activation": "hardswish"},
             {"out_channels": 12, "kernel": 5, "dilation": 3, "padding": 1, "activation": "swish"}],
    "dwconv": [{}, {"kernel": 5, "stride": 2, "bias": True, "bn": False, "activation": "none"},
               {"dilation": 2, "stride": 2, "activation": "hardsigmoid"}],
    "pwconv": [{}, {"out_channels": 40, "bias": True, "bn": False, "activation": "relu6"}],
    "sepconv": [{}, {"out_channels": 48, "kernel": 5, "stride": 2, "bn": False}],
    "fire": [{}, {"squeeze": 8, "expand1x1": 24, "expand3x3": 40, "bias": False, "bn": True,
                  "activation": "relu6"}],
    "ir": [{"out_channels": 16}, {"out_channels": 32, "expansion": 1, "stride": 2, "kernel": 5},
           {"out_channels": 16, "expansion": 3, "residual": False, "activation": "relu"},
           {"out_channels": 16, "expanded_channels": 40, "kernel": 5, "se": "mobilenetv3",
            "activation": "hardswish"},
           {"out_channels": 16, "expanded_channels": 16, "stride": 2, "se": "mobilenetv3"},
           {"out_channels": 24, "stride": 2, "se": "efficientnet", "activation": "swish"}],
    "se": [{}, {"ratio": 0.5, "divisor": 1, "activation": "swish", "gate": "hardsigmoid"}],
    "shuffle": [{}, {"groups": 4}],
    "shufflev2": [{}, {"out_channels": 16}, {"out_channels": 24, "stride": 2}, {"stride": 2}],
    "basic": [{"planes": 16}, {"planes": 24, "stride": 2}, {"planes": 32}],
    "bottleneck": [{"planes": 4}, {"planes": 8, "stride": 2}, {"planes": 6, "expansion": 2}],
    "maxpool": [{}, {"kernel": 3, "stride": 2, "padding": 1, "ceil_mode": True}],
    "avgpool": [{}, {"kernel": 3, "stride": 1, "padding": 1}, {"kernel": 3, "ceil_mode": True}],
    "gap": [{}, {"output_size": 3}],
    "flatten": [{}],
    "linear": [{}, {"out_features": 7, "bias": False, "activation": "relu"},
               {"out_features": 12, "hidden": True, "activation": "hardswish"}],
    "dropout": [{}, {"p": 0.1}],
    "add": [{}, {"activation": "relu"}],
    "concat": [{}],
}


def test_every_kind_has_variants():
    assert set(VARIANTS) == set(blocks.BLOCKS)


def design_with(kind, params):
    b = Builder(f"one {kind}", input_shape=(3, 23, 23))
    stem = b.add("conv", "stem", out_channels=16)
    if kind in ("add", "concat"):
        other = b.add("conv", "branch", inputs="input", out_channels=16, kernel=1, padding=0)
        b.add(kind, "block", inputs=[stem, other], **params)
    else:
        b.add(kind, "block", **params)
    return b.build()


CASES = [(k, i) for k, vs in VARIANTS.items() for i in range(len(vs))]


@pytest.mark.parametrize("kind,i", CASES, ids=[f"{k}-{i}" for k, i in CASES])
@pytest.mark.parametrize("alpha", [1.0, 0.5])
def test_exported_block_matches_analysis(kind, i, alpha):
    d = design_with(kind, VARIANTS[kind][i])
    d.alpha = alpha
    result = check_module(build_module(d), analyze(d))
    assert result.ok, result.summary()
    assert result.params == analyze(d).params


def test_block_modules_alone_match_their_block_costs():
    import torch

    from designer.core.presets import load_preset

    d = load_preset("squeezenet1_1")
    for cost, module in build_block_modules(d):
        assert sum(p.numel() for p in module.parameters()) == cost.params, cost.name
        with torch.no_grad():
            y = module.eval()(*[torch.randn(1, *s) for s in cost.input_shapes])
        assert tuple(y.shape[1:]) == cost.output_shape, cost.name


NEW_CASES = [(k, i) for k, i in CASES if k in ("conv", "dwconv", "ir", "se", "shuffle",
                                                "shufflev2", "basic", "bottleneck", "linear")]


@pytest.mark.parametrize("kind,i", NEW_CASES, ids=[f"{k}-{i}" for k, i in NEW_CASES])
def test_onnx_of_the_new_blocks_matches_torch_in_onnxruntime(tmp_path, kind, i):
    from designer.export.onnx_export import TOLERANCE, export_onnx

    result = export_onnx(design_with(kind, VARIANTS[kind][i]), tmp_path / "block.onnx")
    assert result.check.ok and result.max_abs_diff <= TOLERANCE * max(1.0, result.output_scale)
    assert (tmp_path / "block.onnx").stat().st_size > 0


def test_exported_shuffle_interleaves_the_groups_and_the_unit_passes_half_through():
    import torch

    from designer.export.pytorch import build_block_modules

    b = Builder("shuffle", input_shape=(6, 2, 2))
    b.add("shuffle", "shuffle", groups=3)
    ((_, shuffle),) = build_block_modules(b.build())
    x = torch.arange(6.0).view(1, 6, 1, 1).expand(1, 6, 2, 2)
    # output channel i·g + j is input channel j·(C/g) + i
    assert shuffle(x)[0, :, 0, 0].tolist() == [0.0, 2.0, 4.0, 1.0, 3.0, 5.0]
    b = Builder("unit", input_shape=(8, 5, 5))
    b.add("shufflev2", "unit")
    ((_, unit),) = build_block_modules(b.build())
    x = torch.randn(1, 8, 5, 5)
    with torch.no_grad():
        y = unit.eval()(x)
    # the untouched half lands on the even channels after the 2-group shuffle
    assert torch.equal(y[:, 0::2], x[:, :4])
