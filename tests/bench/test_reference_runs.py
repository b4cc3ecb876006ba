"""The calibration network is timed in fresh processes and the median run kept."""
import pytest

from designer.bench import reference_runs
from designer.bench.calibrate import network_terms


def rows(factor):
    """Reference times whose network factor is ``factor`` (no glue, no pools or convs)."""
    return ((factor * 16.0, 16.0, 0.0, 0.0, 0.0, 0.0, 0.0), (factor * 2.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0))


def test_the_run_with_the_median_factor_is_kept(monkeypatch):
    made = iter([rows(1.6), rows(1.3), rows(1.45)])
    monkeypatch.setattr(reference_runs, "_one_run", lambda threads: next(made))
    kept = reference_runs.time_reference_fresh(1, runs=3)
    assert kept == rows(1.45) and network_terms(kept).factor == pytest.approx(1.45)


def test_a_failed_run_says_what_the_process_said(monkeypatch):
    monkeypatch.setattr(reference_runs.sys, "executable", "/bin/false")
    with pytest.raises(reference_runs.ReferenceRunError, match="timing the calibration network failed"):
        reference_runs.time_reference_fresh(1, runs=1)


def test_a_real_run_in_a_fresh_process_gives_both_sizes():
    pytest.importorskip("torch")
    kept = reference_runs.time_reference_fresh(1, runs=1)
    assert len(kept) == 2 and all(len(r) == 7 for r in kept)
    big, small = kept
    assert big[0] > small[0] > 0 and big[1] > small[1] > 0 and big[6] > 0
    assert network_terms(kept).factor > 0
