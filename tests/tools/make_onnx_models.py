#!/usr/bin/python3
"""Writes the ONNX models that tests/onnx_test.cc reads into tests/data/onnx/.

Run with Debian's interpreter, which has python3-onnx (the `python3` first on PATH may not):

    /usr/bin/python3 tests/tools/make_onnx_models.py [OUT_DIR]   # default: tests/data/onnx

The models are committed, so the tests need no Python. The reader only needs shapes, so to keep
the files small the big networks declare their weights as *graph inputs* with full static shapes
instead of initializers (exporters for ONNX IR < 4 did the same); tessel treats a model input
that is read only through weight slots (Conv W/B, Gemm B/C, MatMul B, BatchNormalization and
LayerNormalization parameters) as a weight. The small models use real initializers, so both
paths are tested. Output is deterministic: running the script again rewrites identical bytes.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOAT = TensorProto.FLOAT


class Graph:
    """Collects nodes, graph inputs and initializers; names tensors after their nodes."""

    def __init__(self):
        self.nodes, self.inputs, self.initializers = [], [], []

    def input(self, name, shape, dtype=FLOAT):
        self.inputs.append(helper.make_tensor_value_info(name, dtype, shape))
        return name

    def weight_input(self, name, shape):
        """A weight declared as a graph input (shape only, no data)."""
        return self.input(name, shape)

    def initializer(self, name, array):
        self.initializers.append(numpy_helper.from_array(array, name))
        return name

    def node(self, op, name, inputs, n_outputs=1, **attrs):
        outputs = [name] if n_outputs == 1 else [f"{name}:{i}" for i in range(n_outputs)]
        self.nodes.append(helper.make_node(op, inputs, outputs, name=name, **attrs))
        return outputs[0] if n_outputs == 1 else outputs

    def constant(self, name, array):
        return self.node("Constant", name, [], value=numpy_helper.from_array(array, name))

    def model(self, name, outputs, opset=13):
        graph = helper.make_graph(self.nodes, name, self.inputs,
                                  [helper.make_empty_tensor_value_info(o) for o in outputs],
                                  initializer=self.initializers)
        return helper.make_model(graph, producer_name="tessel-tests",
                                 opset_imports=[helper.make_opsetid("", opset)])


def conv_bn(g, name, bn_name, x, c_in, c_out, k, stride=1, pad=0):
    """torchvision conv (no bias) + BatchNormalization, all parameters as graph inputs."""
    w = g.weight_input(name + ".weight", [c_out, c_in, k, k])
    y = g.node("Conv", name, [x, w], kernel_shape=[k, k], strides=[stride, stride],
               pads=[pad] * 4)
    params = [g.weight_input(f"{bn_name}.{p}", [c_out]) for p in ("weight", "bias", "mean", "var")]
    return g.node("BatchNormalization", bn_name, [y] + params)


def resnet50():
    """torchvision.models.resnet50 as exported for inference, node names = tessel's zoo names."""
    g = Graph()
    x = g.input("input", [1, 3, 224, 224])
    x = conv_bn(g, "conv1", "bn1", x, 3, 64, 7, 2, 3)
    x = g.node("Relu", "relu", [x])
    x = g.node("MaxPool", "maxpool", [x], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    c_in = 64
    for stage, blocks in enumerate([3, 4, 6, 3]):
        planes = 64 << stage
        for i in range(blocks):
            p = f"layer{stage + 1}.{i}"
            stride = 2 if stage > 0 and i == 0 else 1
            y = conv_bn(g, p + ".conv1", p + ".bn1", x, c_in, planes, 1)
            y = g.node("Relu", p + ".relu1", [y])
            y = conv_bn(g, p + ".conv2", p + ".bn2", y, planes, planes, 3, stride, 1)
            y = g.node("Relu", p + ".relu2", [y])
            y = conv_bn(g, p + ".conv3", p + ".bn3", y, planes, planes * 4, 1)
            shortcut = x
            if i == 0:
                shortcut = conv_bn(g, p + ".downsample", p + ".downsample_bn", x, c_in,
                                   planes * 4, 1, stride)
            y = g.node("Add", p + ".add", [y, shortcut])
            x = g.node("Relu", p + ".relu3", [y])
            c_in = planes * 4
    x = g.node("GlobalAveragePool", "avgpool", [x])
    x = g.node("Flatten", "flatten", [x], axis=1)
    w = g.weight_input("fc.weight", [1000, 2048])
    b = g.weight_input("fc.bias", [1000])
    x = g.node("Gemm", "fc", [x, w, b], transB=1)
    return g.model("resnet50", [x])


def bert_layer():
    """One BERT-base encoder layer as a HuggingFace export shapes it (biases left out), with a
    dynamic [batch, sequence, 768] input and head-split Reshape targets computed from Shape."""
    g = Graph()
    x = g.input("hidden", ["batch", "sequence", 768])
    shape = g.node("Shape", "shape", [x])
    batch = g.node("Gather", "gather_batch", [shape, g.constant("index0", np.array(0))], axis=0)
    seq = g.node("Gather", "gather_seq", [shape, g.constant("index1", np.array(1))], axis=0)
    axes = g.constant("axes0", np.array([0], dtype=np.int64))
    batch = g.node("Unsqueeze", "unsqueeze_batch", [batch, axes])
    seq = g.node("Unsqueeze", "unsqueeze_seq", [seq, axes])
    heads = g.node("Concat", "heads_shape",
                   [batch, seq, g.constant("heads", np.array([12, 64], dtype=np.int64))], axis=0)
    merged = g.node("Concat", "merged_shape",
                    [batch, seq, g.constant("hidden_size", np.array([768], dtype=np.int64))],
                    axis=0)

    def linear(name, inp, k, n):
        return g.node("MatMul", name, [inp, g.weight_input(name + ".weight", [k, n])])

    def split(name, inp, perm):
        y = g.node("Reshape", name + "_reshape", [inp, heads])
        return g.node("Transpose", name + "_transpose", [y], perm=perm)

    q = split("attention.self.query", linear("attention.self.query", x, 768, 768), [0, 2, 1, 3])
    k = split("attention.self.key", linear("attention.self.key", x, 768, 768), [0, 2, 3, 1])
    v = split("attention.self.value", linear("attention.self.value", x, 768, 768), [0, 2, 1, 3])
    s = g.node("MatMul", "attention.self.scores", [q, k])
    s = g.node("Div", "attention.self.scale", [s, g.constant("sqrt_d", np.array(8.0, np.float32))])
    p = g.node("Softmax", "attention.self.softmax", [s], axis=-1)
    c = g.node("MatMul", "attention.self.context", [p, v])
    c = g.node("Transpose", "attention.self.context_transpose", [c], perm=[0, 2, 1, 3])
    c = g.node("Reshape", "attention.self.context_reshape", [c, merged])
    y = linear("attention.output.dense", c, 768, 768)
    y = g.node("Add", "attention.output.add", [y, x])

    def layer_norm(name, inp):
        return g.node("LayerNormalization", name, [inp, g.weight_input(name + ".weight", [768]),
                                                   g.weight_input(name + ".bias", [768])], axis=-1)

    y = layer_norm("attention.output.LayerNorm", y)
    h = linear("intermediate.dense", y, 768, 3072)
    # GELU written out as exporters before opset 20 do: 0.5 * h * (1 + erf(h / sqrt(2))).
    e = g.node("Div", "gelu.div", [h, g.constant("sqrt2", np.array(1.4142135, np.float32))])
    e = g.node("Erf", "gelu.erf", [e])
    e = g.node("Add", "gelu.add", [e, g.constant("one", np.array(1.0, np.float32))])
    e = g.node("Mul", "gelu.mul", [h, e])
    h = g.node("Mul", "gelu.half", [e, g.constant("half", np.array(0.5, np.float32))])
    z = linear("output.dense", h, 3072, 768)
    z = g.node("Add", "output.add", [z, y])
    z = layer_norm("output.LayerNorm", z)
    return g.model("bert_layer", [z], opset=17)


def conv_features():
    """Conv attributes with hand-checkable results (tests/onnx_test.cc), real initializers."""
    g = Graph()
    x = g.input("x", ["batch", 3, 32, 32])
    zeros = lambda *shape: np.zeros(shape, dtype=np.float32)
    y = g.node("Conv", "strided", [x, g.initializer("w1", zeros(8, 3, 3, 3))],
               strides=[2, 2], pads=[1, 1, 1, 1])
    y = g.node("BatchNormalization", "strided_bn",
               [y] + [g.initializer(f"bn.{p}", zeros(8)) for p in ("s", "b", "m", "v")])
    y = g.node("Relu", "relu", [y])
    y = g.node("Conv", "grouped", [y, g.initializer("w2", zeros(8, 4, 3, 3))],
               group=2, dilations=[2, 2], auto_pad="SAME_UPPER")
    y = g.node("Identity", "identity", [y])
    y = g.node("Conv", "depthwise", [y, g.initializer("w3", zeros(8, 1, 3, 3))],
               group=8, kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    y = g.node("Conv", "rectangular", [y, g.initializer("w4", zeros(4, 8, 1, 3))],
               strides=[1, 2], pads=[0, 1, 0, 1])
    y = g.node("MaxPool", "pool", [y], kernel_shape=[2, 2], strides=[2, 2])
    # Not after a conv: stays a layer (normalisation without MACs).
    y = g.node("BatchNormalization", "unfolded_bn",
               [y] + [g.weight_input(f"bn2.{p}", [4]) for p in ("s", "b", "m", "v")])
    y = g.node("Reshape", "flatten", [y, g.constant("flat", np.array([0, -1], np.int64))])
    y = g.node("Gemm", "fc", [y, g.weight_input("fc.weight", [10, 128])], transB=1)
    y = g.node("Softmax", "softmax", [y], axis=1)
    return g.model("conv_features", [y])


def conv1d():
    """A 1-D conv over [1, 4, 50]: kernel 5, stride 2, pads 2 -> (50 + 4 - 5) / 2 + 1 = 25."""
    g = Graph()
    x = g.input("x", [1, 4, 50])
    w = g.initializer("w", np.zeros((8, 4, 5), dtype=np.float32))
    y = g.node("Conv", "conv", [x, w], strides=[2], pads=[2, 2])
    return g.model("conv1d", [y])


def unsupported():
    g = Graph()
    x = g.input("x", [1, 8])
    y = g.node("Relu", "relu", [x])
    y = g.node("Unique", "unique", [y])
    g.nodes.append(helper.make_node("FancyOp", [y], ["z"], name="fancy", domain="com.example"))
    y = g.node("Relu", "", ["z"])
    g.nodes[-1].output[0] = "out"
    return g.model("unsupported", ["out"])


def cyclic():
    g = Graph()
    x = g.input("x", [1, 8])
    g.nodes.append(helper.make_node("Add", [x, "b_out"], ["a_out"], name="a"))
    g.nodes.append(helper.make_node("Relu", ["a_out"], ["b_out"], name="b"))
    g.nodes.append(helper.make_node("Relu", ["b_out"], ["c_out"], name="c"))
    return g.model("cyclic", ["c_out"])


def empty():
    g = Graph()
    g.input("x", [1, 8])
    model = g.model("empty", ["x"])
    model.graph.output[0].CopyFrom(helper.make_tensor_value_info("x", FLOAT, [1, 8]))
    return model


def unknown_shape():
    """Reshape to a shape that is itself a model input: its extents are unknowable statically."""
    g = Graph()
    x = g.input("x", [1, 16])
    target = g.input("target_shape", [2], TensorProto.INT64)
    y = g.node("Reshape", "reshape", [x, target])
    y = g.node("Relu", "relu", [y])
    return g.model("unknown_shape", [y])


def unknown_dim():
    """NonZero: the rank of its output is known, how many elements are non-zero is not."""
    g = Graph()
    x = g.input("x", [4, 16])
    y = g.node("NonZero", "nonzero", [x])
    y = g.node("Transpose", "transpose", [y])
    return g.model("unknown_dim", [y])


MODELS = {
    "resnet50": resnet50,
    "bert_layer": bert_layer,
    "conv_features": conv_features,
    "conv1d": conv1d,
    "unsupported": unsupported,
    "cyclic": cyclic,
    "empty": empty,
    "unknown_shape": unknown_shape,
    "unknown_dim": unknown_dim,
}


VALID = ("resnet50", "bert_layer", "conv_features", "conv1d")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "data", "onnx")
    os.makedirs(out_dir, exist_ok=True)
    for name, build in MODELS.items():
        model = build()
        if name in VALID:  # checked on an inferred copy; the file keeps only declared shapes
            onnx.checker.check_model(onnx.shape_inference.infer_shapes(model, True, True, True))
        path = os.path.join(out_dir, name + ".onnx")
        with open(path, "wb") as f:
            f.write(model.SerializeToString())
        print(f"{path}: {len(model.graph.node)} nodes")


if __name__ == "__main__":
    main()
