"""Running the timing worker as a child process: progress as it comes, cancel at any time, and the
process always reaped (terminated, then killed if it does not stop). The worker's stdin stays open
while it runs, and the worker ends itself when it closes: killed with its parent, it goes too."""
from __future__ import annotations

import collections
import contextlib
import json
import subprocess
import sys
import threading
from collections.abc import Callable

from designer.core import io
from designer.core.design import Design
from designer.core.timings import Timing, TimingError
from designer.lifeline import child_env


class BenchError(Exception):
    """The timing did not complete: the worker failed, crashed, was cancelled or timed out."""


def make_job(design: Design, runtime: str = "torch", threads: int | None = None, batch: int = 1,
             device: str = "cpu", budget_s: float | None = 3.0, max_runs: int | None = None,
             warmup: int = 5, per_block: bool = False) -> dict:
    """One timing job. Runs stop at ``budget_s`` seconds or ``max_runs`` runs, whichever comes
    first; ``None`` leaves that limit out (so a time budget alone really governs)."""
    if budget_s is None and max_runs is None:
        raise ValueError("a timing needs a time budget or a run count")
    return {"design": io.dumps(design), "runtime": runtime, "threads": threads, "batch": batch,
            "device": device, "budget_s": budget_s, "max_runs": max_runs, "warmup": warmup,
            "per_block": per_block}


def timed_design_key(design: Design) -> str:
    """What a timing measures, as text: the design's JSON, α and ρ included, without what does
    not change the network (layout, extra such as kept timings, name, description). A result is
    kept only on a design whose key is still the one it was started on, not on the design as
    edited while the timing ran."""
    data = io.to_dict(design)
    for unmeasured in ("layout", "extra", "name", "description"):
        data.pop(unmeasured, None)
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def worker_command() -> list[str]:
    return [sys.executable, "-m", "designer.bench.worker"]


def typed(result: dict) -> dict:
    """The worker's result with its timings as ``Timing`` records (a malformed one is the
    worker's fault, reported as a BenchError)."""
    if not isinstance(result, dict) or "timings" not in result:
        return result
    try:
        timings = [Timing.from_dict(t, f"timings[{i}]") for i, t in enumerate(result["timings"])]
    except TimingError as err:
        raise BenchError(f"the timing worker sent a broken result ({err})") from None
    return {**result, "timings": timings}


def parse_line(line: str) -> dict:
    try:
        message = json.loads(line)
    except ValueError:
        return {}
    return message if isinstance(message, dict) else {}


def stop(process: subprocess.Popen, grace_s: float = 3.0) -> None:
    """Terminate, then kill; wait either way so no zombie is left."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _drain(stream, tail: collections.deque) -> None:
    """Read ``stream`` to its end, keeping its last lines: a worker writing more warnings than
    the pipe holds (64 KB) would otherwise block until the timeout."""
    for line in stream:
        tail.append(line.rstrip("\n"))


def run_bench(job: dict, on_progress: Callable[[float, str], None] | None = None,
              cancel: threading.Event | None = None, timeout_s: float = 600.0,
              env: dict | None = None) -> dict:
    """Run one job to its end and return the worker's result; raise BenchError otherwise."""
    try:
        process = subprocess.Popen(worker_command(), stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=child_env(env))
    except OSError as err:
        raise BenchError(f"could not start the timing worker ({err.strerror or err})") from None
    done = threading.Event()
    timed_out = threading.Event()
    stderr_tail: collections.deque = collections.deque(maxlen=3)
    drainer = threading.Thread(target=_drain, args=(process.stderr, stderr_tail), daemon=True)
    drainer.start()

    def watch() -> None:
        waited = 0.0
        while not done.wait(0.05):
            waited += 0.05
            if cancel is not None and cancel.is_set():
                stop(process)
                return
            if waited >= timeout_s:
                timed_out.set()
                stop(process)
                return
    threading.Thread(target=watch, daemon=True).start()
    result = error = None
    try:
        try:
            process.stdin.write(json.dumps(job) + "\n")
            process.stdin.flush()    # kept open: its end tells the worker its parent is gone
        except OSError:  # the worker died (or was cancelled) before reading its job
            with contextlib.suppress(OSError):
                process.stdin.close()
        for line in process.stdout:
            message = parse_line(line)
            if "progress" in message and on_progress:
                on_progress(float(message["progress"]), str(message.get("message", "")))
            result = message.get("result", result)
            error = message.get("error", error)
        process.wait()
    finally:
        done.set()
        with contextlib.suppress(OSError):
            process.stdin.close()
        stop(process)
        drainer.join(5)
    if result is not None:
        return typed(result)
    if cancel is not None and cancel.is_set():
        raise BenchError("cancelled")
    if timed_out.is_set():
        raise BenchError(f"the timing took longer than {timeout_s:g} s and was stopped")
    if error:
        raise BenchError(error)
    raise BenchError(f"the timing worker stopped unexpectedly (exit code {process.returncode})"
                     + (": " + " ".join(stderr_tail) if stderr_tail else ""))


_devices: list[str] | None = None
_devices_lock = threading.Lock()


def available_devices(timeout_s: float = 120.0,
                      cancel: threading.Event | None = None) -> list[str]:
    """The devices this machine can time on ("cpu", and "cuda" when torch sees a GPU), asked of
    a worker process so the app never imports torch. Asked once per process: a second caller
    waits for the first one's answer instead of starting another worker."""
    global _devices
    with _devices_lock:
        if _devices is None:
            _devices = list(run_bench({"probe": "devices"}, cancel=cancel,
                                      timeout_s=timeout_s)["devices"])
        return list(_devices)
