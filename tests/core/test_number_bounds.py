"""Every number in a design file is bounded at load, with a message naming the place (block and
field); none reaches a computation as an infinity, a NaN or a 400-digit integer (issue 13)."""
import json

import pytest

import blocks
from designer.core import io
from designer.core.analysis import analyze, setting_problems
from designer.core.presets import load_preset

HUGE = int("9" * 400)


def squeezenet() -> dict:
    return io.to_dict(load_preset("squeezenet1_1"))


def timing(**numbers) -> dict:
    t = {"runtime": "torch", "device": "cpu", "batch": 1, "threads": 1, "alpha": 1.0, "rho": 1.0,
         "median_ms": 3.0, "q1_ms": 2.9, "q3_ms": 3.1, "iqr_ms": 0.2, "p95_ms": 3.3, "runs": 50,
         "noisy": False}
    return {**t, **numbers}


def loaded(data: dict):
    return io.loads(json.dumps(data).replace('"HUGE"', str(HUGE)).replace('"INF"', "1e309"))


def test_an_input_size_beyond_any_bound_is_refused_at_its_place():
    for value, place, words in ((10**200, "input_shape[1]", "finite number"),
                                ("HUGE", "input_shape[1]", "finite number"),
                                ("INF", "input_shape", "whole numbers")):
        d = squeezenet()
        d["input_shape"] = [3, value, 224]
        with pytest.raises(io.DesignFileError) as err:
            loaded(d)
        assert err.value.place == place and words in err.value.message


def test_a_huge_input_within_the_file_bound_is_a_setting_problem():
    d = squeezenet()
    d["input_shape"] = [3, 10**10, 224]
    (problem,) = setting_problems(loaded(d))
    assert problem.field == "input_shape" and "from 1 to 65,536" in problem.message


def test_a_400_digit_parameter_names_its_block_and_field():
    d = squeezenet()
    dropout = next(n for n in d["nodes"] if n["kind"] == "dropout")
    dropout["params"]["p"] = "HUGE"
    with pytest.raises(io.DesignFileError) as err:
        loaded(d)
    assert err.value.place == f"nodes[12] (block '{dropout['name']}').params.p"
    assert "999…" not in str(err.value) or len(str(err.value)) < 300


def test_a_block_refuses_a_number_too_large_for_a_float_by_field():
    with pytest.raises(blocks.BlockError) as err:
        blocks.get("dropout").from_params({"p": HUGE})
    assert err.value.field == "p" and "finite" in str(err.value) and len(str(err.value)) < 80


@pytest.mark.parametrize("field", ["median_ms", "alpha", "q3_ms", "runs"])
@pytest.mark.parametrize("value", ["NaN", "-Infinity", "INF", -1.5, "HUGE"])
def test_kept_timings_with_an_impossible_number_are_refused_at_their_place(field, value):
    d = squeezenet()
    d["extra"] = {"timings": [timing(), timing(**{field: value})]}
    text = json.dumps(d).replace('"NaN"', "NaN").replace('"-Infinity"', "-Infinity")
    with pytest.raises(io.DesignFileError) as err:
        io.loads(text.replace('"HUGE"', str(HUGE)).replace('"INF"', "1e309"))
    assert err.value.place == f"extra.timings[1].{field}"


def test_a_per_block_timing_is_bounded_too():
    d = squeezenet()
    d["extra"] = {"timings": [timing(blocks=[{"name": "conv1", "median_ms": -2.0}])]}
    with pytest.raises(io.DesignFileError) as err:
        loaded(d)
    assert err.value.place == "extra.timings[0].blocks[0].median_ms"


def test_a_position_at_infinity_is_refused():
    d = squeezenet()
    d["layout"][d["nodes"][0]["id"]] = ["INF", 0]
    with pytest.raises(io.DesignFileError, match="finite number") as err:
        loaded(d)
    assert err.value.place == f"layout.{d['nodes'][0]['id']}[0]"


def test_sound_timings_and_values_still_open():
    d = squeezenet()
    d["extra"] = {"timings": [timing()]}
    assert analyze(loaded(d)).ok
