"""Loading, analysis and layout grow linearly with the design (issue 13: every edge was checked
against a list of all earlier ones, so 20,000 edges took 21 s; a concat of 1,000 branches laid
out held tens of millions of curve points, gigabytes). Work is counted, not timed: the Python
lines run (every loop turn is one), so a busy machine cannot fail or pass it. Doubling the
design must at most double the work, give or take a little; quadratic work quadruples it.
The speed goals themselves live in benchmarks/bench_scale.py."""
import sys

import pytest

from designer.core import io
from designer.core.analysis import analyze
from designer.core.builder import Builder, generated_chain, generated_dense
from designer.core.layout import design_drawing

LINEAR = 2.4


def clear_caches() -> None:
    """Every memo in blocks and core starts empty, so that each size is measured alike (the
    smaller design's blocks would otherwise be remembered when the larger one runs)."""
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in ("blocks", "designer"):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def lines_run(fn) -> int:
    clear_caches()
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += 1
        return tracer
    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(None)
    return count


def fan(n: int):
    """One stem read by ``n`` branches that one concat joins: ``2n + 1`` edges, one very wide
    layer."""
    b = Builder(f"fan {n}", input_shape=(3, 8, 8))
    stem = b.add("conv", "stem", out_channels=4)
    branches = [b.add("conv", f"c{i}", inputs=stem, out_channels=4, kernel=1) for i in range(n)]
    b.add("concat", "cat", inputs=branches)
    return b.design


def growth(work, n: int) -> float:
    return work(2 * n) / work(n)


def test_loading_is_linear_in_the_edges(tmp_path):
    def work(n):
        path = tmp_path / f"{n}.json"
        io.save(fan(n), path)
        return lines_run(lambda: io.load(path))
    assert growth(work, 400) < LINEAR


@pytest.mark.parametrize("make", [generated_chain, fan, generated_dense],
                         ids=["chain", "fan", "dense"])
def test_analysis_is_linear(make):
    assert growth(lambda n: lines_run(lambda: analyze(make(n))), 300) < LINEAR


@pytest.mark.parametrize("make", [generated_chain, fan], ids=["chain", "fan"])
def test_layout_is_linear_and_so_are_its_points(make):
    assert growth(lambda n: lines_run(lambda: design_drawing(make(n))), 300) < LINEAR
    points = {n: sum(len(w.points) for w in design_drawing(make(n)).wires) for n in (300, 600)}
    assert points[600] < LINEAR * points[300]
