"""Kept timings are typed records (``Timing``): a file saved before the record existed opens with
every figure in place and saves back unchanged; a bad field is refused at its place; what the
record does not know (a newer version's field) survives a load and a save."""
import json
from pathlib import Path

import pytest

from designer.core import io
from designer.core.commands import History
from designer.core.timings import AddTimings, BlockTiming, Timing, TimingError, latest

OLD = Path(__file__).parent / "data" / "timed_before_the_timing_record.json"
"""Timings as the first timing worker (commit 3ef806e) wrote them: per-block entries without
quartiles or a spread flag, an environment without cores or load average."""


def test_a_file_saved_before_the_record_opens_typed_and_saves_back_unchanged(tmp_path):
    design = io.load(OLD)
    torch_t, ort_t = design.extra["timings"]
    assert isinstance(torch_t, Timing) and isinstance(ort_t, Timing)
    t = torch_t
    assert (t.runtime, t.device, t.batch, t.threads) == ("torch", "cpu", 1, 1)
    assert (t.median_ms, t.q1_ms, t.runs, t.noisy) == (0.412, 0.3955, 57, False)
    assert torch_t.environment["cpu"] == "AMD EPYC 7B13" and torch_t.peak_memory_bytes is None
    stem, pool, fc = torch_t.blocks
    assert stem == BlockTiming("stem", 0.071, "conv", 110592, None, None, 0.004, 41, None)
    assert (pool.macs, fc.macs) == (0, 160) and ort_t.blocks == ()
    assert latest(design, "onnxruntime") is ort_t and latest(design).median_ms == 0.05
    io.save(design, tmp_path / "again.json")
    assert json.loads((tmp_path / "again.json").read_text())["extra"] == \
        json.loads(OLD.read_text())["extra"]


def test_keeping_a_timing_replaces_only_the_same_setup_and_undoes():
    design = io.load(OLD)
    before = list(design.extra["timings"])
    newer = Timing(0.39, "torch", 1.0, 1.0, threads=1)
    other = Timing(0.2, "torch", 1.0, 1.0, threads=2)
    history = History(design)
    history.push(AddTimings([newer, other]))
    assert design.extra["timings"] == [before[1], newer, other]
    history.undo()
    assert design.extra["timings"] == before


def test_a_record_written_and_read_is_the_same_record():
    full = Timing(12.5, "onnxruntime", 0.5, 0.75, device="cuda", batch=8, threads=2, q1_ms=12.0,
                  q3_ms=13.0, iqr_ms=1.0, p95_ms=14.0, min_ms=11.5, runs=40, noisy=True,
                  peak_memory_bytes=10_000, note="a note", environment={"cpu": "x"},
                  blocks=(BlockTiming("a", 1.0, "conv", 5, 0.9, 1.1, 0.2, 20, False),))
    assert Timing.from_dict(json.loads(json.dumps(full.to_dict()))) == full


def test_a_field_this_version_does_not_know_survives_load_and_save(tmp_path):
    data = json.loads(OLD.read_text())
    data["extra"]["timings"][0]["energy_mj"] = 3.5
    data["extra"]["timings"][0]["blocks"][0]["cache_misses"] = 12
    (tmp_path / "newer.json").write_text(json.dumps(data))
    design = io.load(tmp_path / "newer.json")
    io.save(design, tmp_path / "saved.json")
    kept = json.loads((tmp_path / "saved.json").read_text())["extra"]["timings"][0]
    assert kept["energy_mj"] == 3.5 and kept["blocks"][0]["cache_misses"] == 12


@pytest.mark.parametrize("change,place,words", [
    (lambda t: t.update(median_ms="fast"), "extra.timings[1].median_ms", "must be a number"),
    (lambda t: t.update(median_ms=-0.5), "extra.timings[1].median_ms", "from 0 to"),
    (lambda t: t.pop("median_ms"), "extra.timings[1].median_ms", "is missing"),
    (lambda t: t.update(runtime=5), "extra.timings[1].runtime", "must be text"),
    (lambda t: t.pop("rho"), "extra.timings[1].rho", "is missing"),
    (lambda t: t.update(batch=1.5), "extra.timings[1].batch", "whole number"),
    (lambda t: t.update(noisy="yes"), "extra.timings[1].noisy", "true or false"),
    (lambda t: t.update(environment=["cpu"]), "extra.timings[1].environment", "an object"),
    (lambda t: t.update(blocks="stem"), "extra.timings[1].blocks", "must be a list"),
    (lambda t: t.update(blocks=[{"name": "stem", "median_ms": 1.0}, 7]),
     "extra.timings[1].blocks[1]", "an object"),
    (lambda t: t.update(blocks=[{"median_ms": 1.0}]), "extra.timings[1].blocks[0].name",
     "is missing"),
])
def test_a_bad_field_is_refused_at_its_place(tmp_path, change, place, words):
    data = json.loads(OLD.read_text())
    change(data["extra"]["timings"][1])
    (tmp_path / "bad.json").write_text(json.dumps(data))
    with pytest.raises(io.DesignFileError) as err:
        io.load(tmp_path / "bad.json")
    assert err.value.place == place and words in err.value.message


def test_a_timing_that_is_not_an_object_is_refused_at_its_place():
    data = json.loads(OLD.read_text())
    data["extra"]["timings"].append("not a timing")
    with pytest.raises(io.DesignFileError) as err:
        io.from_dict(data)
    assert err.value.place == "extra.timings[2]"
    with pytest.raises(TimingError) as err:
        Timing.from_dict({"runtime": "torch", "alpha": "broken"}, "t")
    assert err.value.place == "t.alpha"


def test_reading_a_file_leaves_the_callers_data_as_it_was():
    data = json.loads(OLD.read_text())
    io.from_dict(data)
    assert data == json.loads(OLD.read_text())
