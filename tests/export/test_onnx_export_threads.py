"""Two ONNX exports at once (the app runs exports on a thread pool: Netron and "Export as ONNX"
together) leave the process-wide state an export patches as it was."""
import logging
import threading

import torch

from designer.core.builder import Builder
from designer.export.onnx_export import export_onnx


def tiny(name):
    b = Builder(name, input_shape=(3, 16, 16))
    b.add("conv", "stem", out_channels=4, stride=2)
    b.add("gap", "pool")
    b.add("linear", "fc", out_features=3)
    return b.build()


def test_two_exports_at_once_restore_the_state_they_patch(tmp_path, monkeypatch):
    real_export = torch.onnx.export
    log_before = torch._C._jit_onnx_log
    registry = logging.getLogger("torch.onnx._internal.exporter._registration")
    level_before = registry.level
    both_inside = threading.Barrier(2, timeout=1.0)
    seen_log = []

    def export_meeting_the_other(*args, **kwargs):
        """Without a guard both exports are inside at once: the first restores the original
        log hook, the second (made to finish later) then restores the no-op it had saved."""
        seen_log.append(torch._C._jit_onnx_log)
        try:
            if both_inside.wait() == 1:
                threading.Event().wait(0.3)
        except threading.BrokenBarrierError:
            pass
        return real_export(*args, **kwargs)
    monkeypatch.setattr(torch.onnx, "export", export_meeting_the_other)
    results, errors = [], []

    def run(name):
        try:
            results.append(export_onnx(tiny(name), tmp_path / f"{name}.onnx"))
        except Exception as err:  # noqa: BLE001 - reported by the assertion below
            errors.append(err)
    threads = [threading.Thread(target=run, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == [] and len(results) == 2
    assert all(log is not log_before for log in seen_log)  # each export did patch the hook
    assert torch._C._jit_onnx_log is log_before
    assert registry.level == level_before
    assert (tmp_path / "a.onnx").stat().st_size > 0 and (tmp_path / "b.onnx").stat().st_size > 0
