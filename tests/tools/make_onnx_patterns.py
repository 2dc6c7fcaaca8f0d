#!/usr/bin/python3
"""Writes the ONNX models of tests/onnx_patterns_test.cc into tests/data/onnx/patterns/.

    /usr/bin/python3 tests/tools/make_onnx_patterns.py [OUT_DIR]

Each model is one pattern that exporters (torch.onnx, paddle2onnx) emit and that used to stop
the reader: shapes computed from shapes (Shape -> Gather -> Cast -> Div -> Concat -> Reshape),
constant-only chains (ConstantOfShape -> Mul -> Equal -> Where), mask builders (Range, Mod,
ScatterND, Trilu, CumSum), ConvTranspose with every attribute, attention (MatMul of two
activations, Einsum, Softmax, decomposed LayerNorm), Resize / Upsample / DepthToSpace /
SpaceToDepth and the attribute-vs-input forms of opsets 7 to 18, external data and weights left
out, and the errors that remain. The MACs each test expects are worked out in the test by hand.
Weights are initializers (small) unless a model is about leaving them out. The files are
committed; running the script again rewrites identical bytes.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOAT, INT64 = TensorProto.FLOAT, TensorProto.INT64


class Graph:
    def __init__(self):
        self.nodes, self.inputs, self.initializers = [], [], []

    def input(self, name, shape, dtype=FLOAT):
        self.inputs.append(helper.make_tensor_value_info(name, dtype, shape))
        return name

    def init(self, name, array):
        self.initializers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def ints(self, name, values):
        return self.init(name, np.array(values, dtype=np.int64))

    def weight(self, name, *shape):
        return self.init(name, np.zeros(shape, dtype=np.float32))

    def node(self, op, name, inputs, n_outputs=1, domain="", **attrs):
        outputs = [name] if n_outputs == 1 else [f"{name}:{i}" for i in range(n_outputs)]
        self.nodes.append(helper.make_node(op, inputs, outputs, name=name, domain=domain,
                                           **attrs))
        return outputs[0] if n_outputs == 1 else outputs

    def model(self, name, outputs, opset=13, ir=8, domains=()):
        graph = helper.make_graph(self.nodes, name, self.inputs,
                                  [helper.make_empty_tensor_value_info(o) for o in outputs],
                                  initializer=self.initializers)
        opsets = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, 1) for d in domains]
        return helper.make_model(graph, producer_name="tessel-tests", opset_imports=opsets,
                                 ir_version=ir)


def unsqueeze(g, name, x, axes, opset):
    if opset >= 13:
        return g.node("Unsqueeze", name, [x, g.ints(name + ".axes", axes)])
    return g.node("Unsqueeze", name, [x], axes=axes)


def vit_tokens():
    """A ViT in miniature as torch.onnx exports one: every reshape target comes from Shape."""
    g = Graph()
    x = g.input("x", [2, 3, 8, 8])
    y = g.node("Conv", "patch", [x, g.weight("patch.w", 16, 3, 4, 4)], strides=[4, 4])
    shape = g.node("Shape", "shape", [y])                                 # [2, 16, 2, 2]
    n = g.node("Gather", "n", [shape, g.ints("i0", 0)], axis=0)
    c = g.node("Gather", "c", [shape, g.ints("i1", 1)], axis=0)
    hw = g.node("Slice", "hw", [shape, g.ints("s2", [2]), g.ints("s4", [4])])
    hw = g.node("ReduceProd", "hw_prod", [hw], keepdims=1)                # [4]
    target = g.node("Concat", "flat_shape", [unsqueeze(g, "n1", n, [0], 13),
                                             unsqueeze(g, "c1", c, [0], 13), hw], axis=0)
    t = g.node("Reshape", "flatten", [y, target])                        # [2, 16, 4]
    t = g.node("Transpose", "tokens", [t], perm=[0, 2, 1])               # [2, 4, 16]
    cls_shape = g.node("Concat", "cls_shape", [unsqueeze(g, "n2", n, [0], 13),
                                               g.ints("one", [1]), g.ints("dim", [16])], axis=0)
    cls = g.node("Expand", "cls", [g.weight("cls_token", 1, 1, 16), cls_shape])
    t = g.node("Concat", "with_cls", [cls, t], axis=1)                   # [2, 5, 16]
    t = layer_norm(g, "ln", t, 16)
    q = g.node("MatMul", "q", [t, g.weight("wq", 16, 16)])
    k = g.node("MatMul", "k", [t, g.weight("wk", 16, 16)])
    v = g.node("MatMul", "v", [t, g.weight("wv", 16, 16)])
    # Split heads: [2, 5, 16] -> [2, 5, 2, 8] with the head size computed as 16 / 2 in float.
    qs = g.node("Shape", "q_shape", [q])
    dim = g.node("Gather", "q_dim", [qs, g.ints("i2", 2)], axis=0)
    head = g.node("Cast", "head_f", [dim], to=FLOAT)
    head = g.node("Div", "head_div", [head, g.init("two_f", np.array(2.0, np.float32))])
    head = g.node("Cast", "head", [head], to=INT64)
    split = g.node("Concat", "split_shape", [
        unsqueeze(g, "n3", n, [0], 13),
        unsqueeze(g, "seq", g.node("Gather", "q_seq", [qs, g.ints("i1b", 1)], axis=0), [0], 13),
        g.ints("heads", [2]), unsqueeze(g, "head1", head, [0], 13)], axis=0)
    qh = g.node("Transpose", "qh", [g.node("Reshape", "q_split", [q, split])], perm=[0, 2, 1, 3])
    kh = g.node("Transpose", "kh", [g.node("Reshape", "k_split", [k, split])], perm=[0, 2, 1, 3])
    vh = g.node("Transpose", "vh", [g.node("Reshape", "v_split", [v, split])], perm=[0, 2, 1, 3])
    scores = g.node("Einsum", "scores", [qh, kh], equation="bhid,bhjd->bhij")   # [2, 2, 5, 5]
    # sqrt(head size) from the shape chain: a constant never used as a shape, folded all the same
    scale = g.node("Sqrt", "scale", [g.node("Cast", "head_size_f", [head], to=FLOAT)])
    scores = g.node("Div", "scaled", [scores, scale])
    probs = g.node("Softmax", "softmax", [scores], axis=-1)
    ctx = g.node("MatMul", "context", [probs, vh])                             # [2, 2, 5, 8]
    ctx = g.node("Transpose", "merge", [ctx], perm=[0, 2, 1, 3])
    merged = g.node("Concat", "merge_shape", [unsqueeze(g, "n4", n, [0], 13),
                                              g.ints("minus1", [-1]), g.ints("d16", [16])], axis=0)
    ctx = g.node("Reshape", "merged", [ctx, merged])                           # [2, 5, 16]
    out = g.node("MatMul", "proj", [ctx, g.weight("wo", 16, 16)])
    return g.model("vit_tokens", [out], opset=13)


def layer_norm(g, name, x, width):
    """LayerNorm as exporters decompose it before opset 17."""
    mean = g.node("ReduceMean", name + ".mean", [x], axes=[-1])
    d = g.node("Sub", name + ".sub", [x, mean])
    var = g.node("ReduceMean", name + ".var", [g.node("Pow", name + ".pow", [
        d, g.init(name + ".two", np.array(2.0, np.float32))])], axes=[-1])
    std = g.node("Sqrt", name + ".sqrt", [g.node("Add", name + ".eps", [
        var, g.init(name + ".epsilon", np.array(1e-5, np.float32))])])
    y = g.node("Div", name + ".div", [d, std])
    y = g.node("Mul", name + ".gamma", [y, g.weight(name + ".weight", width)])
    return g.node("Add", name + ".beta", [y, g.weight(name + ".bias", width)])


def masks():
    """Attention masks and expand targets built from constants only (torch's patterns)."""
    g = Graph()
    x = g.input("x", [1, 5, 8])
    q = g.node("MatMul", "q", [x, g.weight("wq", 8, 8)])
    kt = g.node("Transpose", "kt", [q], perm=[0, 2, 1])
    scores = g.node("MatMul", "scores", [q, kt])                                # [1, 5, 5]
    # A causal mask: Range -> Unsqueeze -> LessOrEqual -> Where, with Trilu and ScatterND on top.
    r = g.node("Range", "r", [g.ints("zero", 0), g.ints("five", 5), g.ints("step", 1)])
    rows = unsqueeze(g, "rows", r, [1], 13)
    cols = unsqueeze(g, "cols", r, [0], 13)
    causal = g.node("LessOrEqual", "causal", [cols, rows])                     # [5, 5] bool
    even = g.node("Equal", "even", [g.node("Mod", "parity", [r, g.ints("two", 2)]),
                                    g.ints("zero_b", 0)])                    # [5]
    keep = g.node("And", "keep", [causal, unsqueeze(g, "even_row", even, [0], 13)])
    fill = g.node("ConstantOfShape", "fill", [g.ints("five_by_five", [5, 5])],
                  value=helper.make_tensor("v", FLOAT, [1], [-1e4]))
    mask = g.node("Where", "mask", [keep, g.node("Trilu", "upper", [
        g.node("ConstantOfShape", "zeros", [g.ints("ff", [5, 5])],
               value=helper.make_tensor("z", FLOAT, [1], [0.0]))], upper=1), fill])
    mask = g.node("ScatterND", "pin", [mask, g.ints("where", [[0, 0], [4, 4]]),
                                       g.init("what", np.zeros(2, np.float32))])
    mask = g.node("CumSum", "running", [mask, g.ints("axis1", 1)])
    scores = g.node("Add", "masked", [scores, mask])
    probs = g.node("Softmax", "softmax", [scores], axis=-1)
    ctx = g.node("MatMul", "context", [probs, q])                               # [1, 5, 8]
    # torch's expand: target = Where(Equal(shape, -1), ones, shape) from ConstantOfShape.
    shape = g.ints("bias_shape", [1, 5, -1])
    ones = g.node("ConstantOfShape", "ones", [g.node("Shape", "shape_of_shape", [shape])],
                  value=helper.make_tensor("o", INT64, [1], [1]))
    minus = g.node("Mul", "minus", [ones, g.ints("neg", -1)])
    target = g.node("Where", "target", [g.node("Equal", "is_minus", [shape, minus]), ones, shape])
    bias = g.node("Expand", "bias", [g.weight("b", 1, 1, 8), target])         # [1, 5, 8]
    out = g.node("Add", "out", [ctx, bias])
    return g.model("masks", [out], opset=14)


def conv_transpose():
    """ConvTranspose with every attribute, each from the same input, by hand in the test."""
    g = Graph()
    x = g.input("x", [1, 8, 5, 5])
    outs = [
        g.node("ConvTranspose", "basic", [x, g.weight("w_basic", 8, 4, 3, 3)],
               strides=[2, 2], pads=[1, 1, 1, 1], output_padding=[1, 1]),
        g.node("ConvTranspose", "dilated_grouped", [x, g.weight("w_dg", 8, 2, 3, 3)],
               group=2, dilations=[2, 2]),
        g.node("ConvTranspose", "output_shape", [x, g.weight("w_os", 8, 4, 2, 2)],
               strides=[2, 2], output_shape=[9, 9]),
        g.node("ConvTranspose", "same_upper", [x, g.weight("w_su", 8, 4, 3, 3)],
               strides=[2, 2], auto_pad="SAME_UPPER"),
        g.node("ConvTranspose", "depthwise", [x, g.weight("w_dw", 8, 1, 4, 4)], group=8,
               strides=[2, 2], pads=[1, 1, 1, 1], kernel_shape=[4, 4]),
        g.node("ConvTranspose", "rectangular", [x, g.weight("w_r", 8, 4, 1, 3)],
               strides=[1, 3], pads=[0, 1, 0, 0], output_padding=[0, 2]),
    ]
    bn = g.node("BatchNormalization", "basic_bn",
                [outs[0]] + [g.weight(f"bn.{p}", 4) for p in ("s", "b", "m", "v")])
    outs[0] = g.node("Relu", "relu", [bn])
    x1 = g.input("x1", [1, 4, 7])
    outs.append(g.node("ConvTranspose", "conv1d", [x1, g.weight("w_1d", 4, 6, 3)], strides=[3]))
    return g.model("conv_transpose", outs, opset=13)


def resize_family(opset):
    """Upsampling and data movement in the form `opset` gives them (7 to 18)."""
    g = Graph()
    x = g.input("x", [1, 4, 6, 6])
    y = g.node("Conv", "c1", [x, g.weight("w1", 8, 4, 1, 1)])                # [1, 8, 6, 6]
    if opset < 9:
        y = g.node("Upsample", "up", [y], scales=[1.0, 1.0, 2.0, 2.0], mode="nearest")
    elif opset < 10:
        y = g.node("Upsample", "up", [y, g.init("scales", np.array([1, 1, 2, 2], np.float32))])
    elif opset < 11:
        y = g.node("Resize", "up", [y, g.init("scales", np.array([1, 1, 2, 2], np.float32))])
    else:  # sizes computed from the input's shape, the pattern of F.interpolate(size=...)
        s = g.node("Shape", "y_shape", [y])
        nc = g.node("Slice", "nc", [s, g.ints("b0", [0]), g.ints("b2", [2])])
        hw = g.node("Slice", "hw", [s, g.ints("b2b", [2]), g.ints("b4", [4])])
        hw = g.node("Mul", "hw2", [hw, g.ints("twice", [2])])
        sizes = g.node("Concat", "sizes", [nc, hw], axis=0)
        empty = g.init("roi", np.zeros(0, np.float32))
        y = g.node("Resize", "up", [y, empty, g.init("no_scales", np.zeros(0, np.float32)),
                                    sizes], mode="nearest")
    if opset < 11:
        y = g.node("Pad", "pad", [y], pads=[0, 0, 1, 1, 0, 0, 1, 1])
    else:
        y = g.node("Pad", "pad", [y, g.ints("pads", [0, 0, 1, 1, 0, 0, 1, 1])])
    y = g.node("Conv", "c2", [y, g.weight("w2", 8, 8, 3, 3)])               # [1, 8, 12, 12]
    y = g.node("SpaceToDepth", "s2d", [y], blocksize=2)                     # [1, 32, 6, 6]
    y = g.node("Conv", "c3", [y, g.weight("w3", 8, 32, 1, 1)])              # [1, 8, 6, 6]
    y = g.node("DepthToSpace", "d2s", [y], blocksize=2)                     # [1, 2, 12, 12]
    if opset < 10:
        y = g.node("Slice", "crop", [y], starts=[2], ends=[10], axes=[2])
    else:
        y = g.node("Slice", "crop", [y, g.ints("c_s", [2]), g.ints("c_e", [10]),
                                     g.ints("c_a", [2])])                   # [1, 2, 8, 12]
    if opset < 13:
        y = g.node("Unsqueeze", "u", [g.node("Squeeze", "sq", [y], axes=[0])], axes=[0])
        parts = g.node("Split", "split", [y], 2, axis=1, split=[1, 1])
    elif opset < 18:
        y = g.node("Unsqueeze", "u", [g.node("Squeeze", "sq", [y, g.ints("ax0", [0])]),
                                      g.ints("ax0b", [0])])
        parts = g.node("Split", "split", [y, g.ints("sizes_split", [1, 1])], 2, axis=1)
    else:
        y = g.node("Unsqueeze", "u", [g.node("Squeeze", "sq", [y, g.ints("ax0", [0])]),
                                      g.ints("ax0b", [0])])
        parts = g.node("Split", "split", [y], 2, axis=1, num_outputs=2)
    y = g.node("Concat", "join", [parts[1], parts[0]], axis=1)
    y = g.node("Conv", "c4", [y, g.weight("w4", 4, 2, 1, 1)])               # [1, 4, 8, 12]
    if opset < 18:
        y = g.node("ReduceMean", "mean", [y], axes=[3])
    else:
        y = g.node("ReduceMean", "mean", [y, g.ints("ax3", [3])])
    return g.model(f"resize_opset{opset}", [y], opset=opset, ir=3 if opset < 9 else 7)


def external_data(out_dir):
    """Weights and a reshape target in an external file, as onnx.save(..., external data)."""
    g = Graph()
    x = g.input("x", [1, 2, 4, 4])
    y = g.node("Conv", "conv", [x, g.init("w", np.ones((6, 2, 3, 3), np.float32))],
               pads=[1, 1, 1, 1])
    y = g.node("Reshape", "reshape", [y, g.ints("target", [1, 6, 16])])
    y = g.node("MatMul", "fc", [y, g.init("fc.w", np.ones((16, 3), np.float32))])
    model = g.model("external_data", [y])
    onnx.external_data_helper.convert_model_to_external_data(
        model, all_tensors_to_one_file=True, location="external_data.bin", size_threshold=0)
    return model


def missing_external_shape():
    """The reshape target's data lives in a file that is not there."""
    g = Graph()
    x = g.input("x", [2, 8])
    target = numpy_helper.from_array(np.array([4, 4], np.int64), "target")
    target.ClearField("raw_data")
    target.data_location = TensorProto.EXTERNAL
    target.external_data.add(key="location", value="not_there.bin")
    g.initializers.append(target)
    y = g.node("Reshape", "reshape", [x, "target"])
    return g.model("missing_external_shape", [g.node("Relu", "relu", [y])])


def weights_left_out():
    """Initializers with shapes but no data: the graph's shapes alone give the problems."""
    g = Graph()
    x = g.input("x", [1, 3, 16, 16])
    for name, dims in (("w1", [8, 3, 3, 3]), ("w2", [8, 1, 3, 3]), ("fc.w", [10, 8])):
        tensor = TensorProto(name=name, data_type=FLOAT)
        tensor.dims.extend(dims)
        g.initializers.append(tensor)
    y = g.node("Conv", "conv", [x, "w1"], strides=[2, 2], pads=[1, 1, 1, 1])  # [1, 8, 8, 8]
    y = g.node("Conv", "dw", [y, "w2"], group=8, pads=[1, 1, 1, 1])
    y = g.node("GlobalAveragePool", "gap", [y])
    y = g.node("Flatten", "flat", [y])
    y = g.node("Gemm", "fc", [y, "fc.w"], transB=1)
    return g.model("weights_left_out", [y])


def data_dependent():
    """A reshape whose target counts the non-zero elements: known only at run time."""
    g = Graph()
    x = g.input("x", [4, 4])
    nz = g.node("NonZero", "nonzero", [x])
    count = g.node("Gather", "count", [g.node("Shape", "nz_shape", [nz]), g.ints("i1", 1)],
                   axis=0)
    target = g.node("Concat", "target", [unsqueeze(g, "count1", count, [0], 13),
                                         g.ints("m1", [-1])], axis=0)
    y = g.node("Reshape", "reshape", [x, target])
    return g.model("data_dependent", [g.node("Relu", "relu", [y])])


def huge_constant():
    """A reshape target computed through a 2048 x 1024 constant: over the evaluator's cap."""
    g = Graph()
    x = g.input("x", [2, 8])
    fill = g.node("ConstantOfShape", "fill", [g.ints("big", [2048, 1024])],
                  value=helper.make_tensor("four", INT64, [1], [4]))
    m = g.node("ReduceMax", "max", [fill], keepdims=0)
    target = g.node("Concat", "target", [g.ints("m1", [-1]), unsqueeze(g, "m", m, [0], 13)],
                    axis=0)
    y = g.node("Reshape", "reshape", [x, target])
    return g.model("huge_constant", [g.node("Relu", "relu", [y])])


def custom_shape_op():
    """A custom-domain operator computing a reshape target from constants."""
    g = Graph()
    x = g.input("x", [2, 8])
    t = g.node("MakeShape", "make_shape", [g.ints("seed", [4])], domain="com.example")
    y = g.node("Reshape", "reshape", [x, t])
    return g.model("custom_shape_op", [g.node("Relu", "relu", [y])], domains=["com.example"])


def einsum_reduction():
    """An Einsum that sums an axis of one operand: not a matrix product."""
    g = Graph()
    a = g.input("a", [3, 4])
    b = g.input("b", [4, 5])
    return g.model("einsum_reduction",
                   [g.node("Einsum", "e", [a, b], equation="ij,jk->i")], opset=13)


def lstm():
    """An LSTM: MACs tessel does not model, refused by name rather than costed as data."""
    g = Graph()
    x = g.input("x", [6, 1, 8])
    y = g.node("LSTM", "lstm", [x, g.weight("W", 1, 64, 8), g.weight("R", 1, 64, 16)], 3,
               hidden_size=16)
    return g.model("lstm", [g.node("Relu", "relu", [y[0]])])


def kernel_values():
    """Each evaluator kernel's result decides the extent of one reshape, so a test can read the
    value back as a layer's element count: check_NAME = ReduceSum(Reshape(x, [v, -1]), axis 1)
    has v output elements. x has 2520 = lcm(1..10) elements so every v divides it."""
    g = Graph()
    x = g.input("x", [2520])
    i64 = lambda name, values: g.ints(name, values)
    f32 = lambda name, values: g.init(name, np.array(values, np.float32))
    ones44 = g.node("ConstantOfShape", "ones44", [i64("s44", [4, 4])],
                    value=helper.make_tensor("one", FLOAT, [1], [1.0]))
    to_int = lambda name, v: g.node("Cast", name + ".int", [v], to=INT64)
    sum0 = lambda name, v: g.node("ReduceSum", name + ".sum", [v], keepdims=0)
    at = lambda name, v, i: g.node("Gather", name + ".at", [v, i64(name + ".i", i)], axis=0)
    r6 = g.node("Range", "r6", [i64("z", 0), i64("six", 6), i64("st1", 1)])
    checks = {
        "trilu": to_int("trilu", sum0("trilu", g.node("Trilu", "tri", [ones44], upper=1))),
        "trilu_lower": to_int("tril", sum0("tril", g.node("Trilu", "tril_m", [
            ones44, i64("km1", -1)], upper=0))),
        "scatter_nd": sum0("scnd", g.node("ScatterND", "scnd_v", [
            i64("zeros5", [0, 0, 0, 0, 0]), i64("idx", [[1], [3]]), i64("upd", [7, 2])])),
        "scatter_nd_add": sum0("scadd", g.node("ScatterND", "scadd_v", [
            i64("ones5", [1, 1, 1, 1, 1]), i64("idx2", [[1], [1]]), i64("upd2", [2, 3])],
            reduction="add")),
        "cumsum": at("cs", g.node("CumSum", "cs_v", [i64("v123", [1, 2, 3]), i64("a0", 0)]), 2),
        "cumsum_rev": at("csr", g.node("CumSum", "csr_v", [i64("v123b", [1, 2, 3]),
                                                           i64("a0b", 0)], exclusive=1,
                                       reverse=1), 0),
        "range": sum0("rng", g.node("Range", "rng_v", [i64("one_s", 1), i64("ten", 10),
                                                       i64("three", 3)])),
        "mod": sum0("mod", g.node("Mod", "mod_v", [i64("m7", [-7, 7]), i64("m3", [3])])),
        "slice_back": sum0("sl", g.node("Slice", "sl_v", [
            g.node("Range", "r10", [i64("z2", 0), i64("ten2", 10), i64("st2", 1)]),
            i64("sl_s", [-1]), i64("sl_e", [np.iinfo(np.int64).min]), i64("sl_a", [0]),
            i64("sl_st", [-3])])),
        "tile": sum0("tile", g.node("Tile", "tile_v", [i64("v12", [1, 2]), i64("rep3", [3])])),
        "nonzero": at("nz", g.node("Shape", "nz_shape", [
            g.node("NonZero", "nz_v", [i64("v0305", [0, 3, 0, 5])])]), 1),
        "where": sum0("wh", g.node("Where", "wh_v", [
            g.node("Equal", "eq", [i64("v1232", [1, 2, 3, 2]), i64("two", 2)]),
            i64("five", 5), i64("one", 1)])),
        "transpose": at("tr", g.node("Reshape", "tr_flat", [
            g.node("Transpose", "tr_v", [g.node("Reshape", "r23", [r6, i64("s23", [2, 3])])],
                   perm=[1, 0]), i64("flat", [-1])]), 1),
        "pad": sum0("pad", g.node("Pad", "pad_v", [i64("ones2", [1, 1]), i64("pads12", [1, 2]),
                                                   i64("fill2", 2)])),
        "float_div": to_int("fdiv", g.node("Floor", "floor", [g.node("Div", "fdiv_v", [
            g.node("Cast", "seven_f", [i64("seven", 7)], to=FLOAT), f32("two_f", 2.0)])])),
        "expand": sum0("ex", g.node("Expand", "ex_v", [i64("col12", [[1], [2]]),
                                                        i64("s_23", [2, 3])])),
        "split": sum0("sp", g.node("Split", "sp_v", [i64("v12345", [1, 2, 3, 4, 5]),
                                                     i64("sizes", [2, 3])], 2)[1]),
        "unsqueeze": g.node("Size", "size", [g.node("Unsqueeze", "unsq", [
            g.node("Squeeze", "sq", [g.node("ConstantOfShape", "c131", [i64("s131", [1, 3, 1])]),
                                     i64("ax0", [0])]), i64("ax03", [0, 3])])]),
        "concat": g.node("ReduceProd", "cat_prod", [g.node("Concat", "cat", [
            i64("c2", [2]), i64("c3", [3]), i64("c1", [1])], axis=0)], keepdims=0),
        "min_max": sum0("mm", g.node("Max", "max_v", [g.node("Min", "min_v", [
            i64("v94", [9, 4]), i64("v7", [7])]), i64("v5", [5])])),
        "reduce_mean": to_int("mean", g.node("ReduceMean", "mean_v", [f32("v249", [2, 4, 9])],
                                             keepdims=0)),
        "fill": sum0("fill", g.node("ConstantOfShape", "fill_v", [i64("s_23b", [2, 3])],
                                    value=helper.make_tensor("two_i", INT64, [1], [2]))),
        "flatten": at("fl", g.node("Shape", "fl_shape", [g.node("Flatten", "fl_v", [
            g.node("ConstantOfShape", "c234", [i64("s234", [2, 3, 4])])], axis=2)]), 0),
    }
    outputs = []
    for name, v in checks.items():
        v = g.node("Reshape", name + ".v1", [v, i64(name + ".one", [1])])
        target = g.node("Concat", name + ".target", [v, i64(name + ".rest", [-1])], axis=0)
        y = g.node("Reshape", name + ".reshape", [x, target])
        outputs.append(g.node("ReduceSum", "check_" + name, [y, i64(name + ".axis", [1])],
                              keepdims=0))
    return g.model("kernel_values", outputs, opset=16)


MODELS = {
    "kernel_values": kernel_values,
    "vit_tokens": vit_tokens,
    "masks": masks,
    "conv_transpose": conv_transpose,
    "missing_external_shape": missing_external_shape,
    "weights_left_out": weights_left_out,
    "data_dependent": data_dependent,
    "huge_constant": huge_constant,
    "custom_shape_op": custom_shape_op,
    "einsum_reduction": einsum_reduction,
    "lstm": lstm,
}
for _opset in (7, 9, 10, 11, 13, 18):
    MODELS[f"resize_opset{_opset}"] = lambda o=_opset: resize_family(o)
# Checked with python3-onnx 1.12 (which knows opsets up to 17: opset 18's forms, Split's
# num_outputs and ReduceMean's axes input, are what the reader must handle beyond it).
CHECKED = ("kernel_values", "vit_tokens", "masks", "conv_transpose", "weights_left_out") + tuple(
    f"resize_opset{o}" for o in (7, 9, 10, 11, 13))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "data", "onnx",
                                                                  "patterns")
    os.makedirs(out_dir, exist_ok=True)
    for name, build in MODELS.items():
        model = build()
        if name in CHECKED:  # strict inference checks types and attributes of every node
            inferred = onnx.shape_inference.infer_shapes(model, True, True, True)
            shaped = all(o.type.tensor_type.HasField("shape") for o in inferred.graph.output)
            if shaped and name != "weights_left_out":  # the checker wants weight data
                onnx.checker.check_model(inferred)
        with open(os.path.join(out_dir, name + ".onnx"), "wb") as f:
            f.write(model.SerializeToString())
    model = external_data(out_dir)
    data = os.path.join(out_dir, "external_data.bin")
    if os.path.exists(data):  # onnx appends to an existing data file
        os.remove(data)
    onnx.save_model(model, os.path.join(out_dir, "external_data.onnx"))
    print(f"{out_dir}: {len(MODELS) + 1} models")


if __name__ == "__main__":
    main()
