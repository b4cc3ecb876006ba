"""Every file the product writes goes through its one atomic writer (issue 13): no module writes a
user's file by hand. The source is read, not run: a write call (``write_text``, ``open(..., "w")``,
``os.replace``, an image's or exporter's ``save``/``export`` to a path) outside
:mod:`designer.core.atomic` must sit inside ``with atomic_path(...)`` or a private
``tempfile.TemporaryDirectory()``, or be one of the few listed below with the reason it is safe.
A writer added by hand later (as the diagram and device-profile writers once were) fails here."""
import ast
from pathlib import Path

import pytest

from designer.core.device_examples import example_names, example_profile
from designer.core.latency import save_profile
from designer.core.presets import load_preset
from designer.export.diagram import write_diagram

ROOT = Path(__file__).resolve().parents[2] / "designer"

SAFE_BY_REASON = {
    ("importers/torch_worker.py", "write_text"): "the worker's result, in the private folder "
                                                 "its parent made for it",
    ("export/onnx_export.py", "export"): "torch.onnx writes the staged model into the private "
                                         "folder export_onnx made for it",
    ("ui/shell/file_actions.py", "save"): "DocumentModel.save, which is io.save",
    ("ui/shell/session.py", "replace"): "recovery files renamed within the settings folder",
    ("ui/shell/session.py", "rename"): "a broken recovery file set aside, never over a file",
    ("export/netron_probe.py", "save"): "the render probe's own screenshot (a test tool)",
    ("export/netron_server.py", "copyfile"): "the model copied into the server's private folder",
}
WRITES = {"write_text", "write_bytes", "replace", "rename", "copyfile", "copy", "copy2", "move",
          "save", "export"}
GUARDS = {"atomic_path", "TemporaryDirectory"}


def _name(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _writes(call: ast.Call) -> bool:
    name = _name(call)
    if name == "open" and isinstance(call.func, ast.Name):
        mode = call.args[1] if len(call.args) > 1 else next(
            (k.value for k in call.keywords if k.arg == "mode"), None)
        return isinstance(mode, ast.Constant) and any(c in str(mode.value) for c in "wax+")
    if name == "fdopen":
        return False                      # only atomic.py opens descriptors it made itself
    if name in ("save", "export"):
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        is_io = isinstance(receiver, ast.Name) and receiver.id == "io"
        return bool(call.args) and not is_io      # painter.save() takes none; io.save is atomic
    if name in ("replace", "rename", "move", "copyfile", "copy", "copy2"):
        receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
        return isinstance(receiver, ast.Name) and receiver.id in ("os", "shutil")
    return name in WRITES


def unguarded_writes(tree: ast.AST) -> list[tuple[int, str]]:
    found = []

    def visit(node: ast.AST, guarded: bool) -> None:
        if isinstance(node, (ast.With, ast.AsyncWith)):
            guarded = guarded or any(
                isinstance(item.context_expr, ast.Call) and _name(item.context_expr) in GUARDS
                for item in node.items)
        if isinstance(node, ast.Call) and not guarded and _writes(node):
            found.append((node.lineno, _name(node)))
        for child in ast.iter_child_nodes(node):
            visit(child, guarded)
    visit(tree, False)
    return found


def test_no_module_writes_a_file_but_through_the_atomic_writer():
    offenders, seen = [], set()
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "core/atomic.py":
            continue
        for line, name in unguarded_writes(ast.parse(path.read_text(encoding="utf-8"))):
            seen.add((rel, name))
            if (rel, name) not in SAFE_BY_REASON:
                offenders.append(f"designer/{rel}:{line}: {name}(...)")
    assert offenders == []
    assert set(SAFE_BY_REASON) <= seen, "a listed exception no longer exists: drop it"


def test_the_scan_sees_a_hand_written_writer():
    caught = unguarded_writes(ast.parse("from pathlib import Path\nPath(p).write_text(s)\n"
                                        "open(p, 'w').write(s)\nimage.save(str(out))\n"
                                        "with atomic_path(p) as t:\n    image.save(str(t))\n"))
    assert caught == [(2, "write_text"), (3, "open"), (4, "save")]


@pytest.fixture
def fifo_and_read_only(tmp_path):
    import os

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    read_only = tmp_path / "old"
    read_only.write_text("old")
    os.chmod(read_only, 0o444)
    return fifo, read_only


@pytest.mark.parametrize("suffix", [".svg", ".png", ".json"])
def test_a_diagram_refuses_a_fifo_behind_a_link_and_a_read_only_file(tmp_path, fifo_and_read_only,
                                                                     suffix):
    """Before: `diagram` waited for ever on a FIFO and replaced a read-only file."""
    import os
    import stat

    fifo, read_only = fifo_and_read_only
    design = load_preset("squeezenet1_1")
    link = tmp_path / f"link{suffix}"
    link.symlink_to(fifo)
    ro = tmp_path / f"ro{suffix}"
    os.rename(read_only, ro)
    for target, words in ((link, "not a regular file"), (ro, "read-only")):
        args = ((tmp_path / "d.svg", target) if suffix == ".json" else (target,))
        with pytest.raises(OSError, match=words):
            write_diagram(design, *args)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and ro.read_text() == "old"
    assert not (tmp_path / "d.svg").exists()


def test_a_device_profile_is_written_by_the_one_writer(tmp_path, fifo_and_read_only):
    fifo, read_only = fifo_and_read_only
    profile = example_profile(example_names()[0])
    for target, words in ((fifo, "not a regular file"), (read_only, "read-only")):
        with pytest.raises(OSError, match=words):
            save_profile(profile, target)
    assert read_only.read_text() == "old"
    save_profile(profile, tmp_path / "new" / "p.json")
    assert (tmp_path / "new" / "p.json").read_text() == profile.dumps()
