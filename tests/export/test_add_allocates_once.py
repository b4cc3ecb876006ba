"""An add of n inputs is one new tensor in the analysis, and the exported code allocates one
(issue 13: it summed pairwise, allocating n−1)."""
import pytest
import torch
from torch.utils._python_dispatch import TorchDispatchMode

from designer.core.analysis import analyze
from designer.core.builder import Builder
from designer.export.pytorch import build_module


class CountAdds(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.new, self.in_place = 0, 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        name = func.overloadpacket.__name__
        self.new += name == "add"
        self.in_place += name == "add_"
        return func(*args, **(kwargs or {}))


@pytest.mark.parametrize("n", [2, 3, 5])
def test_an_add_of_n_inputs_allocates_one_tensor(n):
    b = Builder("adds", input_shape=(4, 8, 8))
    branches = [b.add("conv", f"c{i}", inputs="input", out_channels=4) for i in range(n)]
    b.add("add", "sum", inputs=branches)
    design = b.build()
    total = analyze(design).blocks[-1]
    assert total.activation_bytes == 4 * 8 * 8 * 4
    model = build_module(design).eval()
    inputs = [torch.randn(1, 4, 8, 8) for _ in range(n)]
    counter = CountAdds()
    with torch.no_grad(), counter:
        out = model.sum(*inputs)
    assert (counter.new, counter.in_place) == (1, n - 2)
    assert torch.allclose(out, sum(inputs)) and all(out.data_ptr() != x.data_ptr() for x in inputs)
