import json
import shutil
import subprocess
import sys

from designer.core import io


def test_bench_json_and_save(tmp_path):
    path = tmp_path / "v1.json"
    shutil.copy("resources/presets/squeezenet1_1.json", path)
    out = subprocess.run([sys.executable, "-m", "designer", "bench", str(path), "--runtime", "torch",
                          "--seconds", "0.3", "--runs", "20", "--alpha", "0.5", "--json", "--save"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    (t,) = json.loads(out.stdout)["timings"]
    assert t["runtime"] == "torch" and t["alpha"] == 0.5 and t["median_ms"] > 0
    kept = io.load(path).extra["timings"]
    assert kept[-1]["median_ms"] == t["median_ms"]


def test_bench_refuses_bad_flags():
    out = subprocess.run([sys.executable, "-m", "designer", "bench", "mobilenet_v2", "--batch", "0"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "--batch" in out.stderr and "Traceback" not in out.stderr
