"""Comparison rows and ratios, sweeps against MobileNets Tables 6 and 7, the block lesson."""
import csv
import io

import pytest

from designer.core.analysis import analyze
from designer.core.compare import compare
from designer.core.presets import load_preset
from designer.core.sweep import sweep, to_csv
from designer.core.timings import Timing

NAMES = ["vgg16", "mobilenet_v1", "mobilenet_v2", "squeezenet1_1"]


def test_ratios_equal_ratios_of_the_individual_analyses():
    c = compare([(n, load_preset(n)) for n in NAMES], baseline=1)
    v1 = analyze(load_preset("mobilenet_v1"))
    for i, n in enumerate(NAMES):
        a = analyze(load_preset(n))
        assert c.rows[i].macs == a.macs and c.rows[i].params == a.params
        assert c.ratio(i, "macs") == a.macs / v1.macs
        assert c.ratio(i, "peak_activation_bytes") == a.peak_activation_bytes / v1.peak_activation_bytes
    assert "latency_ms" not in c.metrics()


def test_markdown_and_csv_read_back():
    c = compare([(n, load_preset(n)) for n in NAMES])
    md = c.to_markdown().splitlines()
    assert md[0].startswith("| design | α | input | Parameters | MACs")
    assert md[2].startswith("| vgg16 | 1 | 224×224 | 138,357,544 | 15,470,264,320")
    rows = list(csv.DictReader(io.StringIO(c.to_csv())))
    assert [r["design"] for r in rows] == NAMES
    assert int(rows[2]["macs"]) == 300_774_272
    assert float(rows[2]["macs_ratio"]) == pytest.approx(300_774_272 / 15_470_264_320)


def test_latency_from_timings_kept_with_the_design():
    d = load_preset("mobilenet_v2")
    d.extra["timings"] = [Timing(12.5, "torch", alpha=1.0, rho=1.0, device="cpu")]
    c = compare([("v2", d), ("v1", load_preset("mobilenet_v1"))])
    assert c.rows[0].latency_ms == 12.5 and c.rows[1].latency_ms is None
    assert "latency_ms" in c.metrics() and c.ratio(1, "latency_ms") is None


def test_latency_is_of_one_runtime_and_device_and_says_so():
    """After a "both" run the newest timing is onnxruntime's: compare still shows torch CPU
    unless asked, never one design's torch time beside another's onnxruntime time."""
    v2, v1 = load_preset("mobilenet_v2"), load_preset("mobilenet_v1")
    v2.extra["timings"] = [Timing(12.5, "torch", 1.0, 1.0), Timing(4.25, "onnxruntime", 1.0, 1.0),
                           Timing(3.0, "torch", 0.5, 1.0)]
    v1.extra["timings"] = [Timing(6.0, "onnxruntime", 1.0, 1.0)]
    c = compare([("v2", v2), ("v1", v1)])
    assert [r.latency_ms for r in c.rows] == [12.5, None]
    assert c.label("latency_ms") == "Latency, torch CPU (ms)"
    header, _ = c.table()
    assert "Latency, torch CPU (ms)" in header and "Latency, torch CPU ×" in header
    assert "Latency (ms)" not in header
    ort = compare([("v2", v2), ("v1", v1)], runtime="onnxruntime")
    assert [r.latency_ms for r in ort.rows] == [4.25, 6.0]
    assert ort.ratio(1, "latency_ms") == 6.0 / 4.25
    rows = list(csv.DictReader(io.StringIO(ort.to_csv())))
    assert float(rows[1]["latency_onnxruntime_cpu_ms"]) == 6.0
    assert ort.to_dict()["latency"] == {"runtime": "onnxruntime", "device": "cpu"}
    assert "Latency, onnxruntime CPU (ms)" in ort.to_markdown()
    assert all(r.latency_ms is None for r in compare([("v2", v2)], device="cuda").rows)
    v2.alpha = 0.5
    assert compare([("v2", v2)]).rows[0].latency_ms == 3.0  # only the timing at its own α
    v2.rho = 160 / 224
    assert compare([("v2", v2)]).rows[0].latency_ms is None


def test_timing_queries_filter_on_runtime_device_and_scaling():
    from designer.core.timings import latest, setups, timings_at
    d = load_preset("squeezenet1_1")
    d.extra["timings"] = [
        Timing(7.0, "torch", 1.0, 1.0, device="cpu"), Timing(1.0, "torch", 1.0, 1.0, device="cuda"),
        Timing(3.0, "onnxruntime", 1.0, 1.0 + 1e-12, device="cpu"),
        Timing(2.0, "torch", 0.5, 1.0, device="cpu")]
    assert [t.median_ms for t in timings_at(d)] == [7.0, 1.0, 3.0]
    assert latest(d).median_ms == 3.0 and latest(d, "torch").median_ms == 1.0
    assert latest(d, "torch", "cpu").median_ms == 7.0
    assert latest(d, "onnxruntime", "cuda") is None
    assert setups(d) == [("onnxruntime", "cpu"), ("torch", "cpu"), ("torch", "cuda")]


# MobileNets Table 6 (α at 224) and Table 7 (α = 1 at 192/160/128), from shared/reference.
TABLE_6 = {1.0: (4.2, 569), 0.75: (2.6, 325), 0.5: (1.3, 149), 0.25: (0.5, 41)}
TABLE_7 = {224: 569, 192: 418, 160: 290, 128: 186}


def test_sweep_reproduces_tables_6_and_7():
    points = {(p.alpha, p.resolution): p for p in
              sweep(load_preset("mobilenet_v1"), list(TABLE_6), list(TABLE_7))}
    for alpha, (params_m, macs_m) in TABLE_6.items():
        p = points[(alpha, 224)]
        assert round(p.params / 1e6, 1) == params_m and round(p.macs / 1e6) == macs_m
    for res, macs_m in TABLE_7.items():
        assert abs(points[(1.0, res)].macs / 1e6 - macs_m) < 1
    rows = list(csv.DictReader(io.StringIO(to_csv(list(points.values())))))
    assert len(rows) == 16 and {r["valid"] for r in rows} == {"True"}



def test_pareto_front_is_the_designs_nothing_beats_on_both_axes():
    names = ["vgg16", "mobilenet_v1", "mobilenet_v2", "squeezenet1_1", "resnet18", "alexnet"]
    c = compare([(n, load_preset(n)) for n in names])
    assert [names[i] for i in c.pareto_front("params")] == ["mobilenet_v2", "squeezenet1_1"]
    peak = {n: analyze(load_preset(n)).peak_activation_bytes for n in names}
    assert peak["alexnet"] < peak["squeezenet1_1"] < peak["mobilenet_v2"]  # so all three are on it
    assert [names[i] for i in c.pareto_front("peak_activation_bytes")] == [
        "mobilenet_v2", "squeezenet1_1", "alexnet"]
    v1_half = load_preset("mobilenet_v1")
    v1_half.alpha = 0.25
    c = compare([("v2", load_preset("mobilenet_v2")), ("v1 0.25", v1_half),
                 ("v1", load_preset("mobilenet_v1"))])
    assert c.pareto_front("params") == [1]
    assert c.pareto_front("latency_ms") == []


def test_workshop_core_and_commands_import_no_qt_or_torch():
    import subprocess
    import sys
    heavy = ("PySide6", "pyqtgraph", "torch", "onnx")
    code = ("import sys, designer.core.compare, designer.core.sweep, designer.core.block_compare, "
            "designer.cli.compare, designer.cli.sweep, designer.cli.blocks;"
            f"print([m for m in {heavy!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_latency_is_a_batch_1_time_never_a_batch_8_one():
    """A newer batch-8 run (8 images per call) must not replace the design's one-image latency
    beside other designs."""
    v2 = load_preset("mobilenet_v2")
    v2.extra["timings"] = [Timing(12.5, "torch", 1.0, 1.0, batch=1),
                           Timing(61.0, "torch", 1.0, 1.0, batch=8)]
    assert compare([("v2", v2)]).rows[0].latency_ms == 12.5
    v2.extra["timings"] = v2.extra["timings"][1:]
    assert compare([("v2", v2)]).rows[0].latency_ms is None
