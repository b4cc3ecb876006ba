"""Each figure is declared once (designer.core.metrics) and read by every table and chart: the
declarations name real attributes, and the comparison's columns, labels and CSV keys come from
them."""
from designer.core.analysis import analyze
from designer.core.compare import Row, compare
from designer.core.metrics import BY_KEY, COMPARED, LATENCY, PER_BLOCK
from designer.core.presets import load_preset


def test_every_declared_figure_is_read_from_what_it_names():
    a = analyze(load_preset("mobilenet_v2"))
    c = compare([("v2", load_preset("mobilenet_v2"))])
    for m in COMPARED:
        assert m.key in Row.__dataclass_fields__
        assert m.value(c.rows[0]) == getattr(c.rows[0], m.key)
    for m in PER_BLOCK:
        assert m.value(a.blocks[0]) == getattr(a.blocks[0], m.key)


def test_the_comparison_reads_its_columns_from_the_declarations():
    c = compare([("v2", load_preset("mobilenet_v2")), ("v1", load_preset("mobilenet_v1"))])
    assert c.metrics() == [m.key for m in COMPARED if not m.measured]
    assert [c.label(k) for k in c.metrics()] == ["Parameters", "MACs", "Total activations (B)",
                                                 "Peak live memory (B)"]
    assert BY_KEY[LATENCY.key] is LATENCY and LATENCY.missing == "no timing"
    assert c.label(LATENCY.key) == "Latency, torch CPU (ms)"
    assert c.csv_key(LATENCY.key) == "latency_torch_cpu_ms"
