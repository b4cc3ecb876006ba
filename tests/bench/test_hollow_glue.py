"""The glue measured by running a network hollow (designer.bench.calibrate.hollow_ms): every
layer's work taken out, what is left is the network's own Python around its layers."""
import time

import pytest

torch = pytest.importorskip("torch")

from designer.bench.calibrate import hollow_ms

PAUSE_S = 0.004


class Slow(torch.nn.Module):
    """Three layers and, between them, Python that takes PAUSE_S: glue, not layer work."""

    def __init__(self):
        super().__init__()
        self.a, self.b, self.c = torch.nn.Linear(256, 256), torch.nn.ReLU(), torch.nn.Linear(256, 8)

    def forward(self, x):
        x = self.b(self.a(x))
        time.sleep(PAUSE_S)
        return self.c(x)


def leaves_and_inputs(model, x):
    leaves = [m for m in model.modules() if not list(m.children())]
    inputs = {}
    hooks = [m.register_forward_pre_hook(lambda m, a: inputs.setdefault(id(m), a)) for m in leaves]
    model(x)
    for h in hooks:
        h.remove()
    return leaves, inputs


def test_hollow_glue_is_the_python_between_layers_and_the_model_is_restored():
    model, x = Slow().eval(), torch.randn(4, 256)
    leaves, inputs = leaves_and_inputs(model, x)
    with torch.inference_mode():
        before = model(x)
        glue = hollow_ms(model, x, leaves, inputs, time.perf_counter, runs=3)
        after = model(x)
    assert PAUSE_S * 1e3 <= glue < PAUSE_S * 1e3 + 50       # the sleep, not the layers' work
    assert torch.equal(before, after)                       # every forward is the real one again
    assert all("forward" not in vars(m) for m in leaves)
    model.a.weight.data.zero_()                             # and computes: no stale output
    assert not torch.equal(model(x), before)


def test_hollow_glue_leaves_out_the_layers_work():
    """A network of one big layer and no Python of its own: its hollow figure is far below the
    layer's time (the hollow layer returns its output without computing it)."""
    model = torch.nn.Sequential(torch.nn.Linear(2048, 2048)).eval()
    x = torch.randn(256, 2048)
    leaves, inputs = leaves_and_inputs(model, x)
    with torch.inference_mode():
        t = time.perf_counter()
        model(x)
        work_ms = (time.perf_counter() - t) * 1e3
        glue = hollow_ms(model, x, leaves, inputs, time.perf_counter, runs=5)
    assert glue < work_ms / 5
