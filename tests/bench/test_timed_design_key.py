"""What a kept timing is checked against: the network timed (blocks, parameters, edges, α, ρ),
not where its blocks sit on the canvas, its name or the timings kept with it."""
from designer.bench.runner import timed_design_key
from designer.core import io
from designer.core.commands import History, MoveNodes, SetParam, SetSetting
from designer.core.timings import AddTimings, Timing
from tests.bench.test_worker import small


def test_the_key_follows_the_network_not_the_layout_name_or_kept_timings():
    design = small()
    key = timed_design_key(design)
    history = History(design)
    stem = next(n for n in design.nodes.values() if n.name == "stem")
    for unmeasured in (MoveNodes({stem.id: (120.0, 40.0)}), SetSetting("name", "renamed"),
                       AddTimings([Timing(1.0, "torch", 1.0, 1.0)])):
        history.push(unmeasured)
        assert timed_design_key(design) == key
    for measured in (SetParam(stem.id, "out_channels", 24), SetSetting("alpha", 0.5),
                     SetSetting("rho", 0.5)):
        history.push(measured)
        assert timed_design_key(design) != key
        history.undo()
        assert timed_design_key(design) == key
    assert timed_design_key(io.loads(io.dumps(design))) == key
