"""Model files the import tests share: a one-convolution ONNX model written with onnx.helper
(no torch), and the head of a PyTorch model file."""
from onnx import TensorProto, helper

MODEL_HEAD = "import torch\nfrom torch import nn\nINPUT_SHAPE = (1, 3, 8, 8)\n\n"


def conv_model(path, *, dilation=1, extra_nodes=(), dims=(1, 3, 16, 16), location=None):
    """A one-convolution ONNX model written with onnx.helper (no torch)."""
    w = helper.make_tensor("w", TensorProto.FLOAT, [8, 3, 3, 3], [0.0] * 216)
    if location is not None:
        w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[8, 3, 3, 3])
        w.data_location = TensorProto.EXTERNAL
        w.external_data.add(key="location", value=location)
    dilations = list(dilation) if isinstance(dilation, tuple) else [dilation] * 2
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], name="stem/conv", kernel_shape=[3, 3],
                              pads=[max(dilations)] * 4, dilations=dilations),
             *extra_nodes]
    last = nodes[-1].output[0]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                                                         list(dims))],
                              [helper.make_tensor_value_info(last, TensorProto.FLOAT, None)], [w])
    path.write_bytes(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
                     .SerializeToString())
    return path


def every_new_kind():
    """One design holding every block kind that came after MobileNetV2 (and a dilated conv and
    depthwise conv), on an odd-sized input: what the UI and CLI tests of those kinds share."""
    from designer.core.builder import Builder

    b = Builder("every new kind", input_shape=(3, 33, 33))
    b.add("conv", "dilated", out_channels=16, stride=2, dilation=2, activation="hardswish")
    b.add("ir", "bneck", out_channels=16, expanded_channels=40, se="mobilenetv3",
          activation="hardswish")
    b.add("ir", "mbconv", out_channels=24, stride=2, se="efficientnet", activation="swish")
    b.add("se", "se")
    b.add("shuffle", "shuffle", groups=4)
    b.add("shufflev2", "unit")
    b.add("shufflev2", "unit_down", stride=2)
    b.add("basic", "basic", planes=32)
    b.add("bottleneck", "bottleneck", planes=16, stride=2)
    b.add("dwconv", "dilated_dw", dilation=2, activation="hardsigmoid")
    return b.build()
