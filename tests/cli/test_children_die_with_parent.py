"""Every child process the product starts dies with its parent (issue 13: workers outlived a
killed CLI). The timing worker's own test is in tests/bench/test_worker.py; here the model-import
worker, which runs a model file's code and so may never end by itself, and the calibration the
app starts as a command line."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from tests.bench.test_worker import alive, descendants

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def leave_no_process(*pids) -> None:
    """A failed run must not leave a model's endless loop or a 600 s timing behind."""
    for pid in pids:
        if pid is not None and alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGTERM"])
def test_the_import_worker_dies_with_a_killed_import_command(tmp_path, signal_name):
    """Before, a build_model() that never returns kept running after the command was killed: the
    time limit was the parent's to enforce."""
    model = tmp_path / "hang.py"
    model.write_text("import time\nINPUT_SHAPE = (3, 8, 8)\n\ndef build_model():\n"
                     "    while True:\n        time.sleep(0.05)\n")
    cli = subprocess.Popen([sys.executable, "-m", "designer", "import", str(model),
                            str(tmp_path / "out.json"), "--time-limit", "600"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: descendants(cli.pid) or cli.poll() is not None)
        (worker,) = descendants(cli.pid)
        os.kill(cli.pid, getattr(signal, signal_name))
        cli.wait(60)
        wait_for(lambda: not alive(worker), 60)
        assert not alive(worker)
    finally:
        if cli.poll() is None:
            cli.kill()
        leave_no_process(locals().get("worker"))


def test_a_command_started_by_the_app_dies_with_it():
    """The app runs `calibrate` as a command line in a child process (designer.lifeline's
    environment and a stdin pipe it keeps open); the app killed, the command goes too, and the
    command's own worker with it. (`bench` stands in for `calibrate` here: it has a worker to
    wait for, so the test knows the command is under way.)"""
    app = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import subprocess, sys, time
        from designer.lifeline import child_env
        child = subprocess.Popen([sys.executable, "-m", "designer", "bench", "squeezenet1_1",
                                  "--runtime", "torch", "--threads", "1", "--seconds", "600",
                                  "--json"], stdin=subprocess.PIPE,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env=child_env())
        print(child.pid, flush=True)
        time.sleep(600)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        child = int(app.stdout.readline())
        wait_for(lambda: descendants(child) or not alive(child))
        grandchildren = descendants(child)
        assert grandchildren, "the command's worker never started"
        app.kill()
        app.wait(60)
        wait_for(lambda: not alive(child) and not any(map(alive, grandchildren)), 60)
        assert not alive(child) and not any(map(alive, grandchildren))
    finally:
        if app.poll() is None:
            app.kill()
        leave_no_process(locals().get("child"), *locals().get("grandchildren", ()))


def test_a_command_started_with_a_lifeline_ends_cleanly():
    """The watchdog must not hold stdin's lock when the command ends (the interpreter aborted
    at exit: 'could not acquire lock for <_io.BufferedReader name='<stdin>'>', exit -6)."""
    from designer.lifeline import child_env

    process = subprocess.Popen([sys.executable, "-m", "designer", "presets"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=child_env())
    try:
        out = process.stdout.read()
        err = process.stderr.read()
        assert process.wait(60) == 0, err
        assert "mobilenet_v2" in out and "Fatal Python error" not in err
    finally:
        process.stdin.close()
        if process.poll() is None:
            process.kill()
