"""Every flag is checked by argparse with a type and a range, every flag has help with its
default shown, and bad numbers in a file end in a located message (issue 13)."""
import argparse
import json
import subprocess
import sys

import pytest

from designer.cli import build_parser, main
from designer.core import io
from designer.core.presets import load_preset

HUGE = "9" * 400


@pytest.mark.parametrize("argv,flag", [
    (["netron", "m.onnx", "--port", "70000"], "--port"),
    (["netron", "m.onnx", "--port=-5"], "--port"),
    (["netron", "m.onnx", "--seconds", "nan"], "--seconds"),
    (["bench", "squeezenet1_1", "--seconds", "nan"], "--seconds"),
    (["bench", "squeezenet1_1", "--seconds", "inf"], "--seconds"),
    (["bench", "squeezenet1_1", "--seconds", "1e308"], "--seconds"),
    (["bench", "squeezenet1_1", "--seconds", "0"], "--seconds"),
    (["bench", "squeezenet1_1", "--threads", "100000"], "--threads"),
    (["bench", "squeezenet1_1", "--threads", "0"], "--threads"),
    (["bench", "squeezenet1_1", "--batch", "0"], "--batch"),
    (["bench", "squeezenet1_1", "--runs", HUGE], "--runs"),
    (["stats", "squeezenet1_1", "--resolution", HUGE], "--resolution"),
    (["stats", "squeezenet1_1", "--alpha", "nan"], "--alpha"),
    (["stats", "squeezenet1_1", "--rho", "inf"], "--rho"),
    (["export", "squeezenet1_1", "--py", "x.py", "--resolution", "-3"], "--resolution"),
    (["blocks", "--groups", "0"], "--groups"),
    (["blocks", "--input", f"3x{HUGE}x4"], "--input"),
    (["blocks", "--out", "1e3"], "--out"),
    (["sweep", "squeezenet1_1", "--alphas", "1,nan"], "--alphas"),
    (["sweep", "squeezenet1_1", "--resolutions", f"224,{HUGE}"], "--resolutions"),
    (["screenshot", "squeezenet1_1", "s.png", "--size", "99999x99999"], "--size"),
    (["screenshot", "squeezenet1_1", "s.png", "--size", "wide"], "--size"),
    (["import", "m.onnx", "o.json", "--input", "abc"], "--input"),
    (["import", "m.onnx", "o.json", "--input", f"3x{HUGE}x4"], "--input"),
    (["import", "m.onnx", "o.json", "--input", "0x1x1"], "--input"),
])
def test_a_bad_flag_is_refused_by_name_before_any_work(argv, flag, capsys):
    with pytest.raises(SystemExit) as refused:
        main(argv)
    err = capsys.readouterr().err
    assert refused.value.code == 2 and err.startswith(f"error: {flag}: "), err
    assert "Traceback" not in err and HUGE not in err and len(err.splitlines()[0]) < 120


@pytest.mark.parametrize("argv,flag", [
    (["compare", "squeezenet1_1", "vgg16", "--alpha", "1,nan"], "--alpha"),
    (["compare", "squeezenet1_1", "--resolution", HUGE], "--resolution"),
])
def test_a_bad_per_design_value_is_refused_by_name(argv, flag, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {flag}: must be a") and HUGE not in err


def options():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        for action in command._actions:
            if action.option_strings and action.dest != "help":
                yield name, command, action


FREE_TEXT = {"design", "designs", "out", "model", "py", "onnx", "png", "svg", "scatter", "json",
             "select", "baseline", "name", "device", "alpha", "rho", "resolution", "explain"}
"""Values argparse cannot judge alone: file names, block and design names (each refused by name
when it is used), and compare's per-design comma lists (test below)."""


def values():
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, command in sub.choices.items():
        for action in command._actions:
            if action.dest != "help" and action.nargs != 0:
                yield name, command, action


@pytest.mark.parametrize("name,command,action", list(values()),
                         ids=lambda v: v if isinstance(v, str) else getattr(v, "dest", None))
def test_every_value_is_judged_by_argparse_or_is_a_name(name, command, action):
    """A value with neither a type nor choices reaches the command unchecked (import --input
    once ended in a traceback, screenshot --size in thousands of Qt warnings)."""
    if action.dest in FREE_TEXT:
        return
    assert action.type not in (None, str) or action.choices, \
        f"{name} {'/'.join(action.option_strings) or action.dest} takes any text"


@pytest.mark.parametrize("name,command,action", list(values()),
                         ids=lambda v: v if isinstance(v, str) else getattr(v, "dest", None))
def test_every_argument_has_help(name, command, action):
    assert action.help, f"{name} {'/'.join(action.option_strings) or action.dest} has no help"


@pytest.mark.parametrize("name,command,action", list(options()),
                         ids=lambda v: v if isinstance(v, str) else getattr(v, "dest", None))
def test_every_flag_has_help_and_its_default_shown(name, command, action):
    assert action.help, f"{name} {action.option_strings[0]} has no help"
    if action.default not in (None, False):
        help_text = command._get_formatter()._get_help_string(action)
        assert "default" in help_text, f"{name} {action.option_strings[0]}: {help_text}"


def test_the_top_help_says_convsketch_and_that_a_file_opens(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("usage: convsketch") and "python -m designer" in out
    assert "`convsketch FILE.json` (or a preset name) opens that design" in out
    with pytest.raises(SystemExit):
        main(["stats", "--help"])
    assert capsys.readouterr().out.startswith("usage: convsketch stats")


def bad_file(tmp_path, mutate) -> str:
    d = io.to_dict(load_preset("squeezenet1_1"))
    mutate(d)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(d).replace('"HUGE"', HUGE))
    return str(path)


@pytest.mark.parametrize("command", [["stats"], ["export", "--py", "OUT"], ["bench", "--runs", "5"],
                                     ["compare"], ["sweep"]])
@pytest.mark.parametrize("mutate,place", [
    (lambda d: d.update(input_shape=[3, 10**200, 224]), "input_shape[1]"),
    (lambda d: d["nodes"][12]["params"].update(p="HUGE"), "nodes[12] (block 'dropout').params.p"),
    (lambda d: d.update(extra={"timings": [{"median_ms": float("nan")}]}),
     "extra.timings[0].median_ms"),
])
def test_a_file_with_an_impossible_number_is_a_located_error_in_every_command(
        tmp_path, command, mutate, place, capsys):
    path = bad_file(tmp_path, mutate)
    argv = [command[0], path] + [str(tmp_path / "m.py") if a == "OUT" else a for a in command[1:]]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}, at {place}: must be a") and "Traceback" not in err
    assert not (tmp_path / "m.py").exists()


def test_screenshot_and_the_app_start_refuse_such_a_file_cleanly(tmp_path):
    path = bad_file(tmp_path, lambda d: d.update(input_shape=[3, 10**200, 224]))
    for argv in (["screenshot", path, str(tmp_path / "s.png")], [path]):
        out = subprocess.run([sys.executable, "-m", "designer", *argv], check=False,
                             capture_output=True, text=True, timeout=120,
                             env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
        assert out.returncode == 2 and out.stderr.startswith(f"error: {path}, at input_shape[1]")
        assert "Traceback" not in out.stderr


def test_a_scatter_of_latency_without_timings_fails_before_printing(capsys, tmp_path):
    assert main(["compare", "squeezenet1_1", "mobilenet_v1", "--scatter",
                 str(tmp_path / "s.png"), "--scatter-y", "latency"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("error: --scatter-y latency: no design")
    assert not (tmp_path / "s.png").exists()


def test_a_truncated_file_says_where_and_that_it_ends_early(tmp_path, capsys):
    path = tmp_path / "cut.json"
    path.write_text('{"format_version": 1, "name": "unfinished')
    assert main(["stats", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (f"error: {path}, at line 1, column 31: is not valid JSON (unterminated string "
                   "starting here; the file ends too early: was it cut short?)")
