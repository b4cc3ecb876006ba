"""Every ``subprocess.run`` says what a failure does: ``check=False`` where the caller reads the
return code (the tests assert it, with stderr), ``check=True`` where a failure must raise. Read
by ruff's PLW1510 over the whole tree (designer, blocks, benchmarks, tests)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_subprocess_run_leaves_check_unsaid():
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated",
                          "--select", "PLW1510", "designer", "blocks", "benchmarks", "tests"],
                         check=False, capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
