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
                         check=False, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    (t,) = json.loads(out.stdout)["timings"]
    assert t["runtime"] == "torch" and t["alpha"] == 0.5 and t["median_ms"] > 0
    kept = io.load(path).extra["timings"]
    assert kept[-1].median_ms == t["median_ms"]


def test_bench_refuses_bad_flags():
    out = subprocess.run([sys.executable, "-m", "designer", "bench", "mobilenet_v2", "--batch", "0"],
                         check=False, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "--batch" in out.stderr and "Traceback" not in out.stderr


def test_per_block_table_flags_spread_and_states_the_sum_factor():
    from designer.bench.stats import BLOCK_SUM_FACTOR
    from designer.bench.worker import MIN_BLOCK_RUNS, TORCH_FOR_BLOCKS

    out = subprocess.run([sys.executable, "-m", "designer", "bench", "squeezenet1_1",
                          "--resolution", "64", "--runtime", "onnxruntime", "--per-block",
                          "--seconds", "0.3", "--threads", "1"],
                         check=False, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[1].startswith("torch ") and f"({TORCH_FOR_BLOCKS})" in lines[1]
    assert lines[2].startswith("onnxruntime ")
    assert any(f"per block, torch eager, {n} interleaved rounds" in out.stdout
               for n in range(MIN_BLOCK_RUNS, 10_000))
    header = lines.index(next(x for x in lines if x.startswith("block ")))
    rows = lines[header + 1:-1]
    assert len(rows) == 16  # squeezenet1_1's blocks
    for row in rows:
        median, iqr = (float(v) for v in row.split()[1:3])
        if abs(iqr - 0.1 * median) > 0.002:  # the printed figures are rounded
            assert row.endswith("⚠ wide spread") == (iqr > 0.1 * median), row
    assert lines[-1].startswith("Blocks timed one by one add up to ")
    assert f"expected within {BLOCK_SUM_FACTOR:g}×" in lines[-1]
