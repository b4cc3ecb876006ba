"""The example device profiles under resources/devices: each loads, is marked uncalibrated, cites
its sources, and its rates are the roofline of the cited figures."""
import json

import pytest

from designer.core.analysis import analyze
from designer.core.device_examples import DEVICE_DIR, example_names, example_profile
from designer.core.latency import (KINDS, ProfileError, datasheet_rates, estimate, layer_us,
                                   layer_work, profile_loads)
from designer.core.presets import load_preset

# The figures as the cited sources state them (GFLOP/s fp32, GB/s):
CITED = {
    # NVIDIA A100 datasheet (nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf): FP32 19.5
    # TFLOPS; 40 GB HBM2 at 1,555 GB/s (glennklockwood.com/garden/processors/A100, PC2 wiki).
    "nvidia-a100-40gb-sxm": (19_500, 1_555),
    # NVIDIA T4 launch figures: FP32 8.1 TFLOPS (geektopia.es, 2018-09-13); 320 GB/s GDDR6
    # (sysrqmts.com/en/gpus/nvidia/tesla/t4).
    "nvidia-t4": (8_100, 320),
    # NVIDIA V100 PCIe announcement: 14 TFLOPS FP32, 900 GB/s HBM2 (io-tech.fi).
    "nvidia-v100-pcie": (14_000, 900),
}


def test_every_example_is_cited_here_and_nothing_cited_is_missing():
    assert example_names() == sorted(CITED)


@pytest.mark.parametrize("name", sorted(CITED))
def test_an_example_states_the_cited_figures_and_their_sources(name):
    p = example_profile(name)
    sheet = dict(p.datasheet)
    assert (sheet["peak_fp32_gflops"], sheet["memory_bandwidth_gb_s"]) == CITED[name]
    assert not p.calibrated and p.network_factor == 1.0
    assert "datasheet" in p.source and "not measured" in p.source
    assert sheet["sources"] and all("http" in s for s in sheet["sources"])
    gflops, gbs = CITED[name]
    rates = dict(p.rates)
    assert set(rates) == set(KINDS)
    assert rates["conv"].macs_per_us == gflops * 500       # 2 FLOPs per MAC, per µs
    assert rates["dwconv"].macs_per_us == gflops * 500
    assert rates["bn"].bytes_per_us == gbs * 1000 and rates["bn"].macs_per_us == 0
    assert all(r.overhead_us == 0 for r in rates.values())


def test_a_datasheet_estimate_is_the_roofline_of_its_figures():
    p = example_profile("nvidia-t4")
    a = analyze(load_preset("mobilenet_v2"))
    first = a.blocks[0].layers[0]                          # the 3×3 stem conv
    macs, nbytes = layer_work(first)
    assert layer_us(first, p) == max(macs / (8_100 * 500), nbytes / (320 * 1000))
    total = sum(layer_us(la, p) for b in a.blocks for la in b.layers) / 1e3
    assert estimate(a, p).latency_ms == pytest.approx(total)


def test_a_datasheet_profile_round_trips_and_its_errors_are_located():
    text = (DEVICE_DIR / "nvidia-t4.json").read_text()
    p = profile_loads(text, "t4.json")
    back = profile_loads(p.dumps(), "again.json")
    assert back.rates == p.rates and back.datasheet == p.datasheet
    assert dict(back.rates) == datasheet_rates(8_100, 320)
    data = json.loads(text)
    data["datasheet"]["memory_bandwidth_gb_s"] = 0
    with pytest.raises(ProfileError, match=r"t4\.json: datasheet\.memory_bandwidth_gb_s: must be"):
        profile_loads(json.dumps(data), "t4.json")
    data = json.loads(text)
    data["datasheet"]["sources"] = []
    with pytest.raises(ProfileError, match=r"datasheet\.sources: must list at least one source"):
        profile_loads(json.dumps(data), "t4.json")
    data = json.loads(text)
    data["calibrated"] = True
    with pytest.raises(ProfileError, match="calibrated: a profile from datasheet figures"):
        profile_loads(json.dumps(data), "t4.json")
