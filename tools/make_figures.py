"""Regenerate every README figure: the two designer screenshots (through the ``screenshot``
command), the compare bars and scatter, the MobileNetV1 sweep, the block lesson (all through the
same chart code as the CLI's --png), the Compare tab of the app with MobileNetV2 open beside
itself at α 0.5 and two presets, and the canvas as a graph (ResNet-18's skip wires, GoogLeNet
with an inception module collapsed, the minimap, the Problems panel after a stride mistake).

    python tools/make_figures.py [OUT_DIR] [--only canvas] [--size 1366x768]
        (default: docs/, every figure; --size: the window size of the canvas figures)
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QDockWidget

from designer.cli import main as cli
from designer.core.block_compare import compare_blocks
from designer.core.compare import compare
from designer.core.presets import load_preset
from designer.core.sweep import curves
from designer.ui.shell.app import application, make_window
from designer.ui.workshop.block_compare_view import save_block_chart
from designer.ui.workshop.compare_charts import save_comparison_chart, save_pareto_chart
from designer.ui.workshop.sweep_view import save_sweep_chart

NAMES = ["vgg16", "mobilenet_v1", "mobilenet_v2", "squeezenet1_1"]


PRESENTED = {"design": ["--select", "sep3", "--alpha", "0.5", "--resolution", "160"],
             "compare": [], "blocks": []}


def workshop_figures(app, out: Path) -> None:
    """Presentation mode at 1280×720 (Design, Compare, Block kinds) and the Design tab's charts
    at α 0.5 with the α = 1 ghost behind them."""
    for tab, extra in PRESENTED.items():
        cli(["screenshot", "mobilenet_v1", str(out / f"presentation_{tab}.png"), "--size",
             "1280x720", "--presentation", "--tab", tab, *extra])
    window = make_window("mobilenet_v1")
    from designer.core.commands import SetSetting
    window.resize(1366, 768)
    window.show()
    window.document.push(SetSetting("alpha", 0.5))
    for _ in range(5):
        app.processEvents()
    window.charts.grab().save(str(out / "alpha_ghost.png"))
    window.files.may_discard = lambda: True
    window.close()
    print(f"wrote {out / 'alpha_ghost.png'}")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    cli(["screenshot", "mobilenet_v2", str(out / "mobilenet_v2.png"), "--select", "block3"])
    cli(["screenshot", "mobilenet_v1", str(out / "mobilenet_v1_alpha05.png"), "--alpha", "0.5",
         "--resolution", "160", "--rounding", "floor", "--select", "sep4"])
    app = application()
    c = compare([(d.name, d) for d in map(load_preset, NAMES)])
    save_comparison_chart(c, out / "compare.png")
    save_pareto_chart(c, out / "compare_pareto.png")
    v1 = load_preset("mobilenet_v1")
    save_sweep_chart(curves(v1, [1.0, 0.75, 0.5, 0.25], [224, 192, 160, 128]),
                     out / "sweep_mobilenet_v1.png")
    save_block_chart(compare_blocks((64, 56, 56), 128), out / "blocks.png")
    window = make_window("mobilenet_v2")
    window.resize(1600, 1000)
    window.show()
    view = window.compare_view
    window.tabs.setCurrentWidget(view)
    view.add_open_design(alpha=0.5)
    for name in ("mobilenet_v1", "squeezenet1_1"):
        view.add_design(name, load_preset(name))
    from PySide6.QtCore import QCoreApplication, QEvent
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
    window.grab().save(str(out / "compare_tab.png"))
    window.files.may_discard = lambda: True
    window.close()
    timing_tab(app, out / "timing_tab.png")
    workshop_figures(app, out)
    canvas_figures(app, out)
    for name in ("compare.png", "compare_pareto.png", "sweep_mobilenet_v1.png", "blocks.png",
                 "compare_tab.png", "timing_tab.png"):
        print(f"wrote {out / name}")


def canvas_window(app, preset: str, size: tuple[int, int], canvas_share: float = 0.6):
    """The app at ``size`` with ``preset`` open, the canvas given ``canvas_share`` of the
    Design tab (as a user drags the splitter to look at the graph)."""
    window = make_window(preset)
    window.resize(*size)
    window.show()
    settle(app)
    total = sum(window.design_split.sizes())
    window.design_split.setSizes([int(total * canvas_share), total - int(total * canvas_share)])
    settle(app)
    return window


def settle(app, rounds: int = 8) -> None:
    import time

    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.02)


def show_at(app, window, node: str, scale: float, below: float = 0.3,
            right: float = 0.0) -> None:
    """Zoom the canvas to ``scale`` with block ``node`` a fraction ``below`` down the view and
    ``right`` of its centre."""
    view = window.view
    view.unfit()
    view.resetTransform()
    view.scale(scale, scale)
    item = window.scene.items_by_id[window.document.design.node_by_name(node).id]
    seen = view.viewport().height() / scale
    view.centerOn(item.pos().x() - right * view.viewport().width() / scale,
                  item.pos().y() + seen * (0.5 - below))
    settle(app)
    window.view.minimap.render_scene()
    settle(app)


def canvas_figures(app, out: Path, size: tuple[int, int] = (1366, 768)) -> None:
    """ResNet-18 drawn as its convs and adds with every skip wire beside the blocks; GoogLeNet
    with inception3b collapsed into one box among the framed modules, the minimap showing
    where the view is; ResNet-18 after one stride mistake, the Problems panel telling the root
    cause from the blocks waiting on it."""
    from designer.core.commands import SetParam

    written = []
    window = canvas_window(app, "resnet18_layers", size, 0.72)
    show_at(app, window, "layer1.1.conv1", 0.72, 0.1, 0.1)
    written.append(out / "canvas_resnet18.png")
    window.grab().save(str(written[-1]))
    window.close()

    window = canvas_window(app, "googlenet", size, 0.75)
    window.findChild(QDockWidget, "Blocks").hide()  # as one closes it to look at a wide graph
    settle(app)
    window.scene.set_group_collapsed("inception3b", True)
    show_at(app, window, "maxpool2", 0.6, 0.04, 0.04)
    written.append(out / "canvas_googlenet_collapsed.png")
    window.grab().save(str(written[-1]))
    window.close()

    window = canvas_window(app, "googlenet", size)
    window.view.fit()
    settle(app)
    window.view.minimap.render_scene()
    show_at(app, window, "inception4c.branch2a", 0.72, 0.3, 0.1)
    written.append(out / "canvas_minimap.png")
    window.view.grab().save(str(written[-1]))
    window.close()

    window = canvas_window(app, "resnet18_layers", size)
    design = window.document.design
    conv = design.node_by_name("layer2.0.conv2")
    window.document.push(SetParam(conv.id, "stride", 2))
    window.problems_dock.raise_()
    show_at(app, window, "layer2.0.conv1", 0.62, 0.1)
    written.append(out / "canvas_problems.png")
    window.grab().save(str(written[-1]))
    window.files.may_discard = lambda: True
    window.close()
    for path in written:
        print(f"wrote {path}")


def timing_tab(app, path: Path, budget_s: float = 2.0) -> None:
    """The Timing tab after a real per-block run of SqueezeNet 1.1 on this machine (a figure
    that changes from run to run, as timings do)."""
    import time

    from designer.ui.timing.bench_panel import BenchPanel

    window = make_window("squeezenet1_1")
    window.resize(1600, 1000)
    window.show()
    panel = window.findChild(BenchPanel)
    window.tabs.setCurrentWidget(panel)

    def wait(done, limit_s: float) -> None:
        end = time.monotonic() + limit_s
        while not done() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.05)

    wait(panel.start_button.isEnabled, 60)
    panel.seconds.setValue(budget_s)
    panel.per_block.setChecked(True)
    panel.start()
    wait(lambda: not panel.running, 180)
    wait(lambda: False, 0.5)  # the status and note re-lay out over a few event rounds
    window.grab().save(str(path))
    window.files.may_discard = lambda: True
    window.close()


if __name__ == "__main__":
    args = sys.argv[1:]
    options = {k: args[i + 1] for i, k in enumerate(args) if k in ("--only", "--size")}
    places = [a for i, a in enumerate(args) if not a.startswith("--")
              and (i == 0 or args[i - 1] not in options)]
    out_dir = Path(places[0]) if places else Path("docs")
    size = tuple(int(v) for v in options.get("--size", "1366x768").split("x"))
    if options.get("--only") == "canvas":
        out_dir.mkdir(parents=True, exist_ok=True)
        canvas_figures(application(), out_dir, size)
    else:
        main(out_dir)
