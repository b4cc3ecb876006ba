"""A non-editable install carries the presets: the wheel holds them as package data and the
installed code finds them (an install that only worked from the source tree once shipped none).
The wheel is built from a copy, so that the test writes no ``build/`` into the source tree."""
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def source_copy(into: Path) -> Path:
    """What the package is built from, without the tests, caches or an earlier build."""
    keep = ["blocks", "designer", "resources", "pyproject.toml", "README.md"]
    for name in keep:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, into / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, into / name)
    return into


def packages_in(tree: Path) -> set[str]:
    return {".".join(init.parent.relative_to(tree).parts)
            for top in ("blocks", "designer") for init in (tree / top).rglob("__init__.py")}


def test_wheel_ships_every_preset_and_finds_them(tmp_path):
    source = source_copy(tmp_path / "source")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                            "-q", str(source), "-w", str(tmp_path / "wheel")],
                           capture_output=True, text=True, timeout=300, cwd=tmp_path, check=False)
    assert build.returncode == 0, build.stderr
    wheel = next((tmp_path / "wheel").glob("convsketch-*.whl"))
    shipped = sorted(Path(n).stem for n in zipfile.ZipFile(wheel).namelist()
                     if n.startswith("designer/resources/presets/") and n.endswith(".json"))
    assert shipped == sorted(p.stem for p in (ROOT / "resources" / "presets").glob("*.json"))
    names = zipfile.ZipFile(wheel).namelist()
    devices = sorted(Path(n).stem for n in names
                     if n.startswith("designer/resources/devices/") and n.endswith(".json"))
    assert devices == sorted(p.stem for p in (ROOT / "resources" / "devices").glob("*.json"))
    missing = {p for p in packages_in(ROOT) if f"{p.replace('.', '/')}/__init__.py" not in names}
    assert not missing, f"packages left out of pyproject.toml's list: {sorted(missing)}"
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    run = subprocess.run([sys.executable, "-c",
                          "import designer.core.presets as p; print(p.PRESET_DIR); "
                          "print(p.load_preset('mobilenet_v2').name)"],
                         capture_output=True, text=True, timeout=60, cwd=tmp_path,
                         env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}, check=False)
    assert run.returncode == 0, run.stderr
    where, name = run.stdout.split("\n")[:2]
    assert Path(where) == site / "designer" / "resources" / "presets"
    assert name == "MobileNetV2"
