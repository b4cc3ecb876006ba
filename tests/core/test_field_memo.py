"""A block's receptive field is remembered by what the recurrence reads of its layers (kernels,
strides, dilations, map sizes, wiring: not channels), so that α ticks find it worked out; it is
always the field the recurrence gives for the block's own layers."""
from designer.core import receptive_field
from designer.core.analysis import analyze
from designer.core.builder import generated_chain
from designer.core.presets import load_preset, names
from designer.core.receptive_field import block_field, block_fields
from tests.model_files import every_new_kind


def recurrence(cost, analysis, design):
    fields = [receptive_field.input_field(analysis.input_shape) if e.src == "input"
              else analysis.block(e.src).field
              for e in sorted((e for e in design.edges if e.dst == cost.node_id),
                              key=lambda e: e.port)]
    layers = cost.block.layers(cost.input_shapes)
    return block_fields(layers, fields)[-1][1] if layers else receptive_field._merge(fields)


def test_every_field_is_the_recurrences_at_every_alpha_with_the_memo_warm():
    designs = [load_preset(n) for n in names()] + [every_new_kind(), generated_chain(30)]
    for design in designs:
        for alpha in (1.0, 0.5, 0.75, 0.35, 1.4):
            design.alpha = alpha
            block_field.cache_clear()            # only the memo by signature stays warm
            a = analyze(design)
            for cost in a.blocks:
                if cost.ok and cost.field is not None:
                    assert cost.field == recurrence(cost, a, design), (design.name, cost.name)


def test_a_tick_to_new_widths_finds_the_fields_worked_out():
    design = generated_chain(40)
    design.alpha = 0.5
    analyze(design)
    block_field.cache_clear()
    calls = []
    real = receptive_field.block_fields

    def counted(*args):
        calls.append(1)
        return real(*args)
    receptive_field.block_fields = counted
    try:
        design.alpha = 1.0
        analyze(design)
    finally:
        receptive_field.block_fields = real
    ir = sum(n.kind == "ir" for n in design.nodes.values())
    assert len(calls) <= ir                      # an ir's residual comes and goes with α
    assert len(calls) < len(design.nodes) // 2
