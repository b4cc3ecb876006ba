"""The generated file: standalone, readable (ruff-clean), runnable, and immune to hostile names."""
import ast
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.core.analysis import analyze
from designer.core.builder import Builder
from designer.core.presets import load_preset, names
from designer.export.check import check_module
from designer.export.files import export_py
from designer.export.pytorch import ExportError, generate_source, module_from_source

HOSTILE = 'x"); import os; os.system("echo pwned") #'


FIXED_NAMES = ("pool", "fc")
"""The names hostile_design gives its last two blocks: a drawn name equal to one is a design the
export refuses (names must be unique, tested below), not one whose code could be checked."""


def hostile_design(name=HOSTILE, block_names=(HOSTILE, "class", "1st", "conv1", "Conv1")):
    b = Builder(name, input_shape=(3, 16, 16))
    ids = []
    for i, n in enumerate(block_names):
        ids.append(b.add("conv", f"id{i}", out_channels=8))
        b.design.nodes[ids[-1]].name = n
    b.add("gap", FIXED_NAMES[0])
    b.add("linear", FIXED_NAMES[1], out_features=4)
    return b.build()


def top_level_names(source):
    tree = ast.parse(source)
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {a.asname or a.name for a in node.names}
    return names


def test_hostile_names_yield_inert_valid_code(tmp_path):
    d = hostile_design()
    path = tmp_path / "model.py"
    export_py(d, path)
    source = path.read_text()
    tree = ast.parse(source)
    imports = [ast.unparse(n) for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert imports == ["import torch", "from torch import nn"]
    assert not any(isinstance(n, ast.Name) and n.id == "os" for n in ast.walk(tree))
    names = top_level_names(source)
    assert "os" not in names and names <= {"torch", "nn", "INPUT_SHAPE", "ConvBNAct", "build_model",
                                           "XImportOsOsSystemEchoPwned"}
    out = subprocess.run([sys.executable, str(path)], check=False, capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "pwned" not in out.stdout and "parameters:" in out.stdout
    assert "output shape: (1, 4)" in out.stdout


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(design_name=st.text(max_size=40),
       block_names=st.lists(st.text(max_size=30).filter(str.strip).filter(
           lambda n: n not in FIXED_NAMES), min_size=1, max_size=4, unique=True))
def test_any_names_generate_code_that_parses_and_defines_only_its_own_names(design_name,
                                                                            block_names):
    d = hostile_design(design_name, block_names)
    source = generate_source(d)
    names = top_level_names(source)
    assert {"torch", "nn", "INPUT_SHAPE", "ConvBNAct", "build_model"} < names
    classes = [n for n in ast.parse(source).body if isinstance(n, ast.ClassDef)]
    assert len(classes) == 2 and classes[0].name == "ConvBNAct"
    assert len(names) == 6
    assert check_module(module_from_source(source), analyze(d)).ok


def test_a_name_twice_is_refused_naming_the_block_and_field():
    with pytest.raises(ExportError, match="block 'pool', field 'name': another block is already "
                                          "named 'pool'"):
        generate_source(hostile_design("x", ["pool"]))


def test_generated_code_passes_ruff_with_lines_of_at_most_100(tmp_path):
    for name in names():
        (tmp_path / f"{name}.py").write_text(generate_source(load_preset(name)))
    (tmp_path / "hostile.py").write_text(generate_source(hostile_design()))
    long_name = "a block name far longer than anyone would type but someone will " * 3
    same_identifier = [long_name, long_name.upper(), long_name + "!"]
    (tmp_path / "long.py").write_text(generate_source(hostile_design(long_name * 2, same_identifier)))
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated",
                          "--line-length", "100", "--extend-select", "E501,W", str(tmp_path)],
                         check=False, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_generated_main_prints_params_and_shape(tmp_path):
    path = tmp_path / "v2.py"
    export_py(load_preset("mobilenet_v2"), path)
    out = subprocess.run([sys.executable, str(path)], check=False, capture_output=True, text=True)
    assert out.stdout.splitlines() == ["parameters: 3,504,872", "output shape: (1, 1000)"]


def test_forward_reuses_x_in_a_chain_and_names_what_is_kept():
    source = generate_source(load_preset("resnet18_layers"))
    assert "        x = self.conv1(x)\n        maxpool = self.maxpool(x)\n" in source
    assert "layer1_0_add = self.layer1_0_add(x, maxpool)" in source
    assert source.rstrip().endswith("print(f\"output shape: {tuple(y.shape)}\")")


def test_block_names_that_are_nn_module_attributes_do_not_hide_them(tmp_path):
    from torch import nn

    from designer.export.names import MODULE_ATTRIBUTES

    public = {n for n in dir(nn.Module) if not n.startswith("_") and n.lower() == n}
    assert public | {"training"} <= MODULE_ATTRIBUTES
    d = hostile_design("m", ["forward", "parameters", "eval", "training", "to"])
    export_py(d, tmp_path / "m.py")
    source = (tmp_path / "m.py").read_text()
    for name in ("forward", "parameters", "eval", "training", "to"):
        assert f"self.{name}_ = ConvBNAct(" in source
