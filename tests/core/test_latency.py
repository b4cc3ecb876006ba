"""The roofline latency model, by hand: kinds, work, per-layer times and profile files."""
import json

import pytest

from designer.core.analysis import analyze
from designer.core.builder import Builder
from designer.core.latency import (KINDS, DeviceProfile, KindRate, ProfileError, estimate,
                                   layer_kind, layer_us, layer_work, profile_loads, read_profile,
                                   save_profile, saved_profile)
from designer.core.presets import load_preset


def profile(**changes):
    rates = {k: KindRate(2.0, 0.0, 1000.0) for k in KINDS}
    rates.update(conv=KindRate(5.0, 2000.0, 1000.0), conv1x1=KindRate(4.0, 3000.0, 1000.0))
    rates.update(changes)
    return DeviceProfile("test", tuple(rates.items()))


def test_layer_kinds_of_an_inverted_residual():
    b = Builder("ir", (16, 28, 28))
    b.add("ir", "ir", out_channels=16)
    cost = analyze(b.build()).blocks[0]
    assert [(la.name, layer_kind(la)) for la in cost.layers] == [
        ("expand.conv", "conv1x1"), ("expand.bn", "bn"), ("expand.act", "act"),
        ("depthwise.conv", "dwconv"), ("depthwise.bn", "bn"), ("depthwise.act", "act"),
        ("project.conv", "conv1x1"), ("project.bn", "bn"), ("add", "add")]


def test_a_conv_block_by_hand_compute_bound():
    b = Builder("c", (64, 56, 56))
    b.add("conv", "c", out_channels=64)
    a = analyze(b.build())
    conv, bn, act = a.blocks[0].layers
    macs = 9 * 64 * 64 * 56 * 56
    moved = (2 * 64 * 56 * 56 + 9 * 64 * 64) * 4
    assert layer_work(conv) == (macs, moved)
    assert layer_us(conv, profile()) == 5.0 + macs / 2000.0          # compute-bound
    assert layer_us(bn, profile()) == 2.0 + (2 * 64 * 56 * 56 + 128) * 4 / 1000.0
    assert layer_us(act, profile()) == 2.0 + 2 * 64 * 56 * 56 * 4 / 1000.0
    e = estimate(a, profile())
    assert e.latency_ms == pytest.approx(sum(layer_us(la, profile()) for la in (conv, bn, act))
                                         / 1e3)


def test_memory_bound_when_bytes_outweigh_macs():
    b = Builder("c", (3, 224, 224))
    b.add("conv", "c", out_channels=4, kernel=1, bn=False, activation="none")
    a = analyze(b.build())
    conv = a.blocks[0].layers[0]
    macs, moved = layer_work(conv)
    slow_memory = profile(conv1x1=KindRate(0.0, 1e6, 10.0))
    assert layer_us(conv, slow_memory) == moved / 10.0
    assert layer_us(conv, profile(conv1x1=KindRate(0.0, 1.0, 1e9))) == macs / 1.0


def test_batch_scales_activations_not_weights():
    b = Builder("c", (8, 10, 10))
    b.add("linear", "fc", out_features=5)
    fc = analyze(b.build()).blocks[0].layers[-1]
    one, four = layer_work(fc, 1), layer_work(fc, 4)
    assert four[0] == 4 * one[0]
    assert four[1] - one[1] == 3 * (800 + 5) * 4


def test_whole_model_is_the_sum_of_its_blocks_and_invalid_blocks_are_left_out():
    a = analyze(load_preset("mobilenet_v2"))
    e = estimate(a, profile())
    assert len(e.blocks) == len(a.blocks)
    assert e.latency_ms == pytest.approx(sum(b.latency_ms for b in e.blocks))
    design = load_preset("mobilenet_v2")
    node = next(n for n in design.nodes.values() if n.kind == "ir")
    node.params["expansion"] = 0
    broken = analyze(design)
    assert not broken.block(node.id).ok
    assert node.id not in estimate(broken, profile()).by_id()
    assert len(estimate(broken, profile()).blocks) < len(e.blocks)


def test_depthwise_is_memory_bound_and_cheaper_than_its_macs_suggest_on_a_calibrated_shape():
    p = profile(dwconv=KindRate(3.0, 0.0, 500.0))
    b = Builder("dw", (144, 56, 56))
    b.add("dwconv", "dw", bn=False, activation="none")
    dw = analyze(b.build()).blocks[0].layers[0]
    assert layer_us(dw, p) == 3.0 + layer_work(dw)[1] / 500.0


def test_profile_round_trip_and_located_errors(tmp_path):
    p = profile()
    path = save_profile(p, tmp_path / "p.json")
    back = read_profile(path)
    assert back.rates == p.rates and back.name == "test"
    data = json.loads(path.read_text())
    del data["rates"]["dwconv"]
    with pytest.raises(ProfileError, match=r"rates\.dwconv: missing"):
        profile_loads(json.dumps(data), "x.json")
    data = json.loads(path.read_text())
    data["rates"]["bn"]["bytes_per_us"] = -1
    with pytest.raises(ProfileError, match=r"x\.json: rates\.bn\.bytes_per_us: must be a number"):
        profile_loads(json.dumps(data), "x.json")
    with pytest.raises(ProfileError, match="not a ConvSketch device profile"):
        profile_loads('{"nodes": []}', "x.json")
    with pytest.raises(ProfileError, match="not JSON"):
        profile_loads("{", "x.json")


def test_saved_profile_lives_in_the_settings_folder_and_goes_stale(tmp_path, monkeypatch):
    from designer.core.machine import cpu_model, torch_version
    monkeypatch.setenv("CONVSKETCH_HOME", str(tmp_path))
    found, why = saved_profile()
    assert found is None and "no device profile yet" in why
    mine = DeviceProfile("this machine", profile().rates, True, threads=2, cpu=cpu_model(),
                         torch=torch_version())
    assert save_profile(mine) == tmp_path / "device-profile.json"
    assert saved_profile() == (mine, "")
    save_profile(DeviceProfile("old torch", profile().rates, True, cpu=cpu_model(), torch="1.0"))
    assert "measured with torch 1.0" in saved_profile()[1]
    save_profile(DeviceProfile("elsewhere", profile().rates, True, cpu="Another CPU"))
    found, why = saved_profile()
    assert found is None and "measured on Another CPU" in why
    (tmp_path / "device-profile.json").write_text("{broken")
    found, why = saved_profile()
    assert found is None and "cannot be used" in why and "not JSON" in why


def test_network_factor_scales_every_block_and_is_checked():
    a = analyze(load_preset("mobilenet_v2"))
    base = estimate(a, profile())
    scaled = estimate(a, DeviceProfile("test", profile().rates, network_factor=1.5))
    assert scaled.latency_ms == pytest.approx(1.5 * base.latency_ms)
    data = DeviceProfile("x", profile().rates, network_factor=1.5).to_dict()
    assert profile_loads(json.dumps(data)).network_factor == 1.5
    assert "conv_factor" not in data and profile_loads(json.dumps(data)).conv_factor is None
    data["network_factor"] = 0
    with pytest.raises(ProfileError, match="network_factor: must be a number > 0"):
        profile_loads(json.dumps(data), "x.json")
    data["network_factor"], data["conv_factor"] = 1.5, -1
    with pytest.raises(ProfileError, match="x.json: conv_factor: must be a number > 0, got -1"):
        profile_loads(json.dumps(data), "x.json")
    data["glue_us"], data["conv_factor"] = "slow", 1.1
    with pytest.raises(ProfileError, match="x.json: glue_us: must be a number ≥ 0, got 'slow'"):
        profile_loads(json.dumps(data), "x.json")


def test_weights_and_outputs_are_added_to_the_roofline_where_the_kind_has_rates():
    b = Builder("c", (512, 7, 7))
    b.add("conv", "c", out_channels=512, bn=False, activation="none")
    b.add("maxpool", "p", kernel=3, stride=2, padding=1)
    a = analyze(b.build())
    conv, pool = a.blocks[0].layers[0], a.blocks[1].layers[0]
    macs, _ = layer_work(conv)
    p = profile(conv=KindRate(5.0, 2000.0, 1e9, 4000.0),
                pool=KindRate(1.0, 100.0, 1e9, 0.0, 50.0))
    assert layer_us(conv, p) == 5.0 + macs / 2000.0 + 9 * 512 * 512 * 4 / 4000.0
    assert layer_us(pool, p) == 1.0 + 9 * 512 * 4 * 4 / 100.0 + 512 * 4 * 4 / 50.0
    assert layer_us(conv, profile(conv=KindRate(5.0, 2000.0, 1e9))) == 5.0 + macs / 2000.0


def test_glue_and_model_round_trip_and_an_older_models_profile_is_stale(tmp_path, monkeypatch):
    from designer.core.latency import MODEL
    from designer.core.machine import cpu_model, torch_version
    p = DeviceProfile("x", profile().rates, glue_us=12.5)
    back = profile_loads(p.dumps())
    assert back.glue_us == 12.5 and back.model == MODEL and back == p
    data = p.to_dict()
    data["glue_us"] = -1
    with pytest.raises(ProfileError, match="glue_us: must be a number ≥ 0"):
        profile_loads(json.dumps(data), "x.json")
    del data["glue_us"], data["model"]                 # a profile from before either existed
    old = profile_loads(json.dumps(data))
    assert old.glue_us == 0.0 and old.model == 1
    monkeypatch.setenv("CONVSKETCH_HOME", str(tmp_path))
    mine = DeviceProfile("this machine", profile().rates, True, cpu=cpu_model(),
                         torch=torch_version(), model=1)
    save_profile(mine)
    found, why = saved_profile()
    assert found is None and "older form of the latency model" in why


def test_memory_mapped_afresh_costs_its_pages_from_32_mib_up():
    from designer.core.latency import FRESH_BYTES, fresh_us
    assert FRESH_BYTES == 32 * 1024 * 1024           # glibc's largest mmap threshold (64-bit)
    b = Builder("wide", (1024, 7, 7))
    b.add("conv", "c", out_channels=1024, activation="relu")
    b.add("conv", "d", out_channels=512)
    a = analyze(b.build())
    wide, bn, act = a.blocks[0].layers
    narrow = a.blocks[1].layers[0]
    weights = 9 * 1024 * 1024 * 4                    # 37.7 MB: copied by oneDNN on every call
    fresh = DeviceProfile("x", profile().rates, fresh_bytes_per_us=2000.0)
    assert fresh_us(wide, fresh) == weights / 2000.0
    assert layer_us(wide, fresh) == layer_us(wide, profile()) + weights / 2000.0
    assert fresh_us(narrow, fresh) == 0.0            # 9.4 MB of weights: reused warm
    assert fresh_us(bn, fresh) == 0.0
    out = 1024 * 7 * 7 * 4
    batch = -(-FRESH_BYTES // out)                   # the first batch whose output is 32 MiB
    assert fresh_us(bn, fresh, batch) == out * batch / 2000.0
    assert fresh_us(act, fresh, batch) == 0.0        # in place: nothing allocated
    assert fresh_us(wide, profile()) == 0.0          # a profile without the rate
    assert profile_loads(fresh.dumps()).fresh_bytes_per_us == 2000.0


def test_activations_are_timed_by_what_they_cost_an_element_and_se_scales_as_a_multiply():
    b = Builder("v3", (16, 28, 28))
    b.add("ir", "bneck", out_channels=24, expansion=4, activation="hardswish", se="mobilenetv3")
    b.add("ir", "mbconv", out_channels=24, expansion=4, activation="swish", se="efficientnet")
    a = analyze(b.build())
    kinds = [{la.name: layer_kind(la) for la in blk.layers} for blk in a.blocks]
    assert kinds[0]["expand.act"] == "act_hard" and kinds[0]["se.scale_activation"] == "act_hard"
    assert kinds[1]["expand.act"] == "act_exp" and kinds[1]["se.scale_activation"] == "act_exp"
    assert kinds[0]["se.activation"] == "act"                     # MobileNetV3's SE: ReLU
    assert kinds[1]["se.activation"] == "act_exp"                 # EfficientNet's: swish
    assert kinds[0]["se.scale"] == kinds[1]["se.scale"] == "mul"
    act = a.blocks[1].layers[2]
    slow_exp = profile(act_exp=KindRate(2.0, 0.0, 250.0))
    assert layer_us(act, slow_exp) == 2.0 + 2 * numel_of(act) * 4 / 250.0
    assert layer_us(act, slow_exp) > layer_us(act, profile())


def numel_of(layer):
    n = 1
    for d in layer.output:
        n *= d
    return n


def test_a_channel_split_is_a_view_and_costs_only_its_call():
    b = Builder("s", (116, 28, 28))
    b.add("shufflev2", "unit", out_channels=116)
    a = analyze(b.build())
    split = [la for la in a.blocks[0].layers if la.op == "slice"]
    assert split and {layer_kind(la) for la in split} == {"view"}
    assert layer_us(split[0], profile(view=KindRate(3.0, 0.0, 1e12))) == pytest.approx(3.0)


def test_a_model_2_profile_times_the_new_kinds_as_it_did(tmp_path):
    old = json.loads(profile().dumps())
    old["model"] = 2
    for kind, was in (("act_hard", "act"), ("act_exp", "act"), ("mul", "add")):
        del old["rates"][kind]
        old["rates"][was] = {"overhead_us": 7.0, "macs_per_us": 0.0, "bytes_per_us": 123.0}
    p = profile_loads(json.dumps(old))
    assert p.rate("act_hard") == p.rate("act_exp") == p.rate("act")
    assert p.rate("mul") == p.rate("add")
    old["model"] = 3
    with pytest.raises(ProfileError, match=r"rates\.act_hard: missing"):
        profile_loads(json.dumps(old))


def test_a_model_5_profile_times_stems_as_dense_convs_and_model_6_needs_them():
    old = json.loads(profile().dumps())
    del old["rates"]["conv_stem"]
    old["model"] = 5
    p = profile_loads(json.dumps(old))
    assert p.rate("conv_stem") == p.rate("conv") == KindRate(5.0, 2000.0, 1000.0)
    old["model"] = 6
    with pytest.raises(ProfileError, match=r"rates\.conv_stem: missing"):
        profile_loads(json.dumps(old))


def test_a_conv_on_the_images_few_channels_is_a_stem():
    b = Builder("s", (3, 224, 224))
    b.add("conv", "rgb", out_channels=32, stride=2)
    b.add("conv", "next", out_channels=64)
    b.add("conv", "pw", out_channels=64, kernel=1)
    g = Builder("g", (4, 64, 64))
    g.add("conv", "rgba", out_channels=8)
    g.add("conv", "five", out_channels=5)
    g.add("conv", "after_five", out_channels=8)
    kinds = [layer_kind(blk.layers[0]) for d in (b, g) for blk in analyze(d.build()).blocks]
    assert kinds == ["conv_stem", "conv", "conv1x1", "conv_stem", "conv", "conv"]   # 4 in: stem; 5: not


def test_a_profile_hashes_by_value_once_and_pickles_without_its_caches():
    import dataclasses
    import pickle

    p, q = profile(), profile()
    assert p == q and hash(p) == hash(q) and p.rate("dwconv") is p.rate("dwconv")
    other = dataclasses.replace(p, glue_us=p.glue_us + 1)
    assert other != p and hash(other) != hash(p)
    hash(p)
    back = pickle.loads(pickle.dumps(p))
    assert "_hash" not in back.__dict__ and "_rates" not in back.__dict__
    assert back == p and hash(back) == hash(p) and back.rate("conv") == p.rate("conv")
