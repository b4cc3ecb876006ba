"""The eager run's measured peak memory, against the analysis's eager-PyTorch model."""
import subprocess
import sys

import pytest

from designer.bench.peak_memory import eager_peak_bytes
from designer.core.analysis import analyze
from designer.core.builder import Builder
from designer.core.presets import load_preset


def measured(design):
    import torch

    from designer.export.pytorch import build_module
    torch.set_num_threads(1)
    model = build_module(design).eval()
    x = torch.randn(1, *analyze(design).input_shape)
    with torch.inference_mode():
        model(x)
        return eager_peak_bytes(lambda: model(x), [x])


@pytest.mark.parametrize("preset", ["squeezenet1_1", "mobilenet_v2", "resnet18"])
def test_measured_peak_matches_the_eager_model_on_presets(preset):
    design = load_preset(preset)
    design.rho = 0.5
    a = analyze(design)
    peak = measured(design)
    assert peak == pytest.approx(a.eager_peak_activation_bytes, rel=0.02)
    assert peak > a.peak_activation_bytes


def test_max_pool_indices_are_seen_by_the_measurement():
    b = Builder("pool", (8, 64, 64))
    b.add("maxpool", "pool", kernel=2, stride=2)
    design = b.build()
    assert measured(design) == 8 * 64 * 64 * 4 + 3 * 8 * 32 * 32 * 4
    assert analyze(design).eager_peak_activation_bytes == measured(design)


def test_bench_reports_the_measured_peak_beside_the_analytic_figures():
    out = subprocess.run([sys.executable, "-m", "designer", "bench", "squeezenet1_1",
                          "--resolution", "112", "--runtime", "torch", "--seconds", "0.2",
                          "--threads", "1"], capture_output=True, text=True, timeout=300,
                         check=False)
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if x.startswith("peak memory"))
    assert "measured" in line and "eager-PyTorch model" in line and "peak live" in line
    design = load_preset("squeezenet1_1")
    design.rho = 0.5
    from designer.core.units import human
    assert f"model {human(analyze(design).eager_peak_activation_bytes, 'B')}" in line
