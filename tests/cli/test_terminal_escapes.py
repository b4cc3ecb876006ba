"""Every line the command line prints goes through one escaping function (issue 13): a design
whose names hold a clear-screen, colours, a window-title OSC, a bare CR and U+202E cannot reach
the terminal with any of them, whichever command prints the name."""
import re
import subprocess
import sys

import pytest

from designer.core import io
from designer.core.builder import Builder

HOSTILE = "\x1b[2J\x1b[31mred\x1b]0;pwned\x07\rover\u202eevil"
RAW = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u202e]|\r(?!\n)")


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory):
    b = Builder(f"net {HOSTILE}", input_shape=(3, 16, 16))
    b.add("conv", f"stem {HOSTILE}", out_channels=4, stride=2)
    b.add("sepconv", f"sep {HOSTILE}", out_channels=8)
    b.add("gap", "pool")
    b.add("linear", "fc", out_features=3)
    path = tmp_path_factory.mktemp("hostile") / "net.json"
    io.save(b.build(), path)
    return str(path)


@pytest.mark.parametrize("command", [
    ["check"], ["sweep", "--alphas", "1,0.5", "--resolutions", "16,32"],
    ["sweep", "--alphas", "1", "--resolutions", "16", "--markdown"],
    ["sweep", "--alphas", "1", "--resolutions", "16", "--csv"],
    ["bench", "--runtime", "torch", "--seconds", "0.05", "--runs", "5", "--per-block",
     "--threads", "1"],
    ["stats"], ["compare", "squeezenet1_1"], ["compare", "squeezenet1_1", "--markdown"],
    ["stats", "--alpha", "9"]])
def test_no_command_prints_a_control_character_from_a_name(hostile_file, command):
    first, *rest = command
    out = subprocess.run([sys.executable, "-m", "designer", first, hostile_file, *rest],
                         check=False, capture_output=True, text=True, timeout=300)
    printed = out.stdout + out.stderr
    assert "Traceback" not in printed, printed[-2000:]
    assert not RAW.findall(printed), RAW.findall(printed)
    if "--csv" not in rest and first != "compare" and rest[-1:] != ["9"]:
        assert "\\x1b[2J\\x1b[31mred\\x1b]0;pwned\\x07\\x0dover\\u202eevil" in printed
    if first != "stats" or rest[-1:] != ["9"]:
        assert out.returncode == 0, printed[-2000:]


def test_a_progress_line_keeps_its_own_carriage_return_only(capsys):
    from designer.cli.terminal import escaped_output, progress_line

    with escaped_output():
        print(f"name {HOSTILE}", end="\r")
        print("over", end="")
        print("\nline,end\r\n", end="")
        progress_line(f"50% {HOSTILE}")
        print(f"x{HOSTILE}", end="\r", file=sys.stderr, flush=True)
    captured = capsys.readouterr()
    assert captured.out.endswith("\\x0dover\nline,end\r\n") and "\x1b" not in captured.out
    assert captured.err.startswith("\r50% \\x1b[2J") and captured.err.count("\r") == 1
