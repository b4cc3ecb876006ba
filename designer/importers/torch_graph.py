"""A PyTorch model file (a .py defining ``build_model()``) as the neutral op graph.

Importing a .py runs its code: it runs in a child process (:mod:`.torch_worker`) with a time
limit, killed with its whole process group when the limit passes, so neither a hang nor a crash
reaches the caller. torch is imported only in that child.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from designer.lifeline import child_env

from .graph import ImportCancelled, ImportRefused, Op, OpGraph

TIME_LIMIT = 120.0
MAX_SOURCE_BYTES = 10 * 1024 ** 2
ROOT = Path(__file__).resolve().parents[2]


def torch_graph(path: str | os.PathLike, input_shape: tuple[int, int, int] | None = None,
                time_limit: float = TIME_LIMIT, cancel: threading.Event | None = None) -> OpGraph:
    """The model file's graph, traced in a child process stopped after ``time_limit`` seconds,
    or as soon as ``cancel`` is set (ImportCancelled)."""
    path = Path(path)
    if not path.is_file():
        raise ImportRefused(f"{path}: no such file")
    if path.stat().st_size > MAX_SOURCE_BYTES:
        raise ImportRefused(f"{path}: {path.stat().st_size / 1024 ** 2:.0f} MB is too large for "
                            "a model's source file")
    env = child_env(dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])))
    with tempfile.TemporaryDirectory(prefix="convsketch-import-") as tmp:
        out, log = Path(tmp) / "graph.json", Path(tmp) / "stderr.txt"
        cmd = [sys.executable, "-m", "designer.importers.torch_worker", str(path.resolve()),
               str(out)]
        if input_shape:
            cmd.append("x".join(str(d) for d in input_shape))
        with open(log, "wb") as err:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                    stderr=err, cwd=path.resolve().parent, env=env,
                                    start_new_session=True)
            try:
                code = _wait(proc, time_limit, cancel)    # stdin kept open: our lifeline
                proc.stdin.close()
            except subprocess.TimeoutExpired:
                _kill(proc)
                raise ImportRefused(f"{path}: building and tracing the model did not finish "
                                    f"within {time_limit:g} s (stopped; does build_model() "
                                    "hang?)") from None
            except BaseException:
                _kill(proc)
                raise
        if not out.is_file():
            tail = log.read_bytes()[-300:].decode("utf-8", "replace").strip().splitlines()
            raise ImportRefused(f"{path}: the model's process ended with status {code} "
                                f"before reporting" + (f": {tail[-1]}" if tail else ""))
        result = json.loads(out.read_text())
    if "error" in result:
        raise ImportRefused(result["error"])
    g = result["graph"]
    ops = [Op(o["type"], o["name"], tuple(o["inputs"]), tuple(o["outputs"]), o["attrs"],
              o["path"]) for o in g["ops"]]
    return OpGraph(g["source"], g["input"], tuple(g["input_shape"]), g["output"], ops,
                   {k: tuple(v) for k, v in g["shapes"].items()}, g["format"])


def _wait(proc: subprocess.Popen, time_limit: float, cancel: threading.Event | None) -> int:
    """The child's exit status; TimeoutExpired past the limit, ImportCancelled once ``cancel``
    is set (the caller kills the child either way)."""
    deadline = time.monotonic() + time_limit
    while True:
        try:
            return proc.wait(timeout=min(0.1, max(0.0, deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            if cancel is not None and cancel.is_set():
                raise ImportCancelled(f"{proc.args[3]}: import cancelled") from None
            if time.monotonic() >= deadline:
                raise


def _kill(proc: subprocess.Popen) -> None:
    if proc.stdin is not None:
        proc.stdin.close()
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
