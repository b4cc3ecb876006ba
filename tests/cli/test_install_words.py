"""The README's set-up words (issue 13: `pip install .` pulled the newest torch with CUDA, 6.2 GB):
it says how to install the CPU build and why the pins, and the versions it names are the ones
CI installs and pyproject accepts, so pip keeps the CPU build."""
import re
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_names_the_cpu_build_that_ci_pins_and_pyproject_keeps():
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    cpu = re.search(r"`pip install torch==([\d.]+) --index-url "
                    r"https://download\.pytorch\.org/whl/cpu`", readme)
    assert cpu, "the README does not say how to install the CPU build"
    assert "Why the pins" in readme and "CUDA build" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f'"torch=={cpu[1]}"' in ci
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    wanted = Requirement(re.search(r'"(torch[<>=!~][^"]*)"', pyproject)[1])
    assert cpu[1] in wanted.specifier, f"pyproject's {wanted} would replace torch {cpu[1]}"
