"""What `bench` tells a user (issue 13): a busy machine and its remedy, what --save kept, and a
noisy run kept with a warning; --save on a preset refused before any timing."""
from designer.bench.stats import contention_note
from designer.cli import main
from designer.cli.bench import _save
from designer.core import io
from designer.core.presets import load_preset
from designer.core.timings import Timing, latest
from designer.core.units import plural


def timing(threads=2, load=3.5, cores=2, noisy=False, runtime="torch") -> Timing:
    return Timing.from_dict({
        "runtime": runtime, "device": "cpu", "batch": 1, "threads": threads, "alpha": 1.0,
        "rho": 1.0, "median_ms": 12.0, "q1_ms": 11.0, "q3_ms": 13.5, "iqr_ms": 2.5,
        "p95_ms": 15.0, "runs": 40, "noisy": noisy,
        "environment": {"threads": threads, "cores": cores, "load_average": load}})


def test_a_multi_threaded_run_on_busy_cores_suggests_one_thread():
    note = contention_note([timing()])
    assert note == ("the cores were busy (load average 3.5 on 2 cores): torch's 2 threads "
                    "contend with other work and its times read slow and uneven; try --threads 1")
    assert contention_note([timing(load=0.3, noisy=True)]).startswith("the runs spread widely")
    assert contention_note([timing(threads=1)]) is None
    assert contention_note([timing(load=0.3)]) is None


def test_save_says_what_it_kept_and_warns_of_a_noisy_run(tmp_path, capsys):
    path = tmp_path / "sq.json"
    io.save(load_preset("squeezenet1_1"), path)
    _save(str(path), [timing(noisy=False)])
    err = capsys.readouterr().err
    assert err == f"kept the timing (torch) in {path}\n"
    _save(str(path), [timing(noisy=True, runtime="onnxruntime")])
    err = capsys.readouterr().err
    assert err.startswith(f"kept the timing (onnxruntime) in {path}\nwarning: the onnxruntime "
                          "run was noisy")
    assert latest(io.load(path), "onnxruntime").noisy is True


def test_save_on_a_preset_is_refused_before_timing(capsys):
    assert main(["bench", "squeezenet1_1", "--save", "--seconds", "60"]) == 2
    assert capsys.readouterr().err == "error: --save needs a design file, not a preset\n"


def test_one_thread_is_singular():
    assert (plural(1, "thread"), plural(2, "thread")) == ("1 thread", "2 threads")


def test_no_count_of_threads_reads_1_threads():
    """Every place that prints a thread count says it through ``plural`` (the calibration, the
    estimate, the estimate check and the timing panel said '1 threads'; the panel 'None
    threads' for a timing kept without its count). The source is read for a bare
    ``{...} threads``."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "designer"
    bare = re.compile(r"\{[^{}]*\} threads")
    found = [f"{p.relative_to(root)}:{n}" for p in sorted(root.rglob("*.py"))
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if bare.search(line)]
    assert found == []
    assert plural(None, "thread") == "? threads"
