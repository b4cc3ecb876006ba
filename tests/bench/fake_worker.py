"""A timing worker that misbehaves on purpose, for the tests (the product has no fault hook):
``python fake_worker.py crash|oom|stderr``. ``oom`` and ``stderr`` run the real worker's
``main`` around the fault, so the job is read and answered as the real one does."""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def fake_main(fault: str) -> int:
    from designer.bench import worker

    if fault == "crash":
        sys.stdin.buffer.readline()
        os._exit(3)
    if fault == "oom":
        def out_of_memory(job):
            raise MemoryError("simulated out-of-memory")
        worker.run_job = out_of_memory
    if fault == "stderr":
        sys.stderr.write("warning: a chatty library\n" * 20_000)
        sys.stderr.flush()
    return worker.main()


def command(fault: str) -> list[str]:
    """What ``runner.worker_command`` returns to start this fake."""
    return [sys.executable, str(Path(__file__).resolve()), fault]


if __name__ == "__main__":
    sys.exit(fake_main(sys.argv[1]))
