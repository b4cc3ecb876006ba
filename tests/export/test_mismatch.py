"""A module that disagrees with the analysis is an error naming what disagrees, and no file is
written (neither .py nor .onnx)."""
import pytest

from blocks.conv import Conv
from designer.core.builder import Builder
from designer.core.presets import load_preset
from designer.export.files import export_py
from designer.export.onnx_export import export_onnx
from designer.export.pytorch import ExportError


def one_conv():
    b = Builder("one conv", input_shape=(3, 16, 16))
    b.add("conv", "conv", out_channels=8)
    return b.build()


def wrong(**changes):
    """A Conv.torch_init that emits the right call except for ``changes``."""
    def torch_init(self, inputs):
        kwargs = {"kernel_size": self.kernel, "stride": self.stride, **changes}
        return f"ConvBNAct({inputs[0][0]}, {self.out_channels}, " + ", ".join(
            f"{k}={v}" for k, v in kwargs.items()) + ")"
    return torch_init


CASES = {
    "parameters": (load_preset, wrong(bias=True), ["parameters"]),
    "MACs": (load_preset, wrong(stride=1), ["MACs"]),
    "output shape": (lambda _: one_conv(), wrong(padding=3), ["MACs", "output"]),
}


@pytest.mark.parametrize("what", list(CASES))
def test_a_mismatch_raises_and_writes_nothing(tmp_path, monkeypatch, what):
    design_of, torch_init, expected = CASES[what]
    design = design_of("mobilenet_v1")
    monkeypatch.setattr(Conv, "torch_init", torch_init)
    for export, name in ((export_py, "m.py"), (export_onnx, "m.onnx")):
        with pytest.raises(ExportError, match="disagrees with the analysis") as err:
            export(design, tmp_path / name)
        mismatched = [line for line in str(err.value).splitlines() if "MISMATCH" in line]
        assert [line.split()[0] for line in mismatched] == expected
    assert list(tmp_path.iterdir()) == []
