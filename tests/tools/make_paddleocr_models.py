#!/usr/bin/python3
"""Writes PaddleOCR-style ONNX models (text detection, recognition, direction classifier) into
tests/data/onnx/paddleocr/, and their MAC counts into macs.tsv there.

    /usr/bin/python3 tests/tools/make_paddleocr_models.py [OUT_DIR]

No PaddlePaddle or paddle2onnx is packaged for Debian, so the graphs are built here with
python3-onnx in the forms paddle2onnx (opset 11) writes for PP-OCRv3's networks:
  - det: a MobileNetV3 (scale 0.5) backbone with squeeze-excitation (GlobalAveragePool -> Conv ->
    Relu -> Conv -> HardSigmoid -> Mul) and hard-swish as HardSigmoid x Mul, a DB FPN neck whose
    upsampling is Resize with constant scales or with sizes computed Shape -> Slice -> Cast ->
    Mul -> Cast -> Concat, and the DB head's two ConvTranspose 2x2 / stride 2 upsamplers;
  - rec: an SVTR-LCNet: a MobileNetV1-enhanced backbone of depthwise-separable convs with
    (2, 1) strides, an SVTR neck whose sequence reshapes use 0 and -1 extents and Shape-computed
    targets, attention blocks (qkv MatMul, Reshape to heads, Transpose, Gather of q / k / v,
    MatMul of two activations, Softmax, decomposed LayerNorm), Squeeze, and a CTC MatMul head;
  - cls: a small MobileNetV3 with a Flatten -> MatMul -> Softmax head.
Inputs keep paddle's dynamic extents (['p2o.DynamicDimension.0', 3, 48, ...]) so the reader must
be given static ones. Weights are initializers whose data is left out (shapes only): the reader
needs no weight data, and the files stay small.

The MACs are counted here, layer by layer, from the shapes this script tracks itself (conv:
N * M * OH * OW * C/groups * KH * KW; ConvTranspose: N * C * IH * IW * M/groups * KH * KW;
matmul: batch * M * N * K), independently of tessel.
"""
import math
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOAT, INT64 = TensorProto.FLOAT, TensorProto.INT64


def make_divisible(v, divisor=8):
    new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return new_v + divisor if new_v < 0.9 * v else new_v


class Net:
    """Builds the graph and tracks every tensor's shape and the MACs, as paddle2onnx names."""

    def __init__(self, name):
        self.name, self.nodes, self.inits, self.shape, self.macs, self.count = name, [], [], {}, 0, 0

    def _name(self, op):
        self.count += 1
        return f"p2o.{op}.{self.count}"

    def node(self, op, inputs, out_shape, n_out=1, **attrs):
        name = self._name(op)
        outs = [f"{name}.tmp_{i}" for i in range(n_out)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=name, **attrs))
        for o, s in zip(outs, out_shape if n_out > 1 else [out_shape]):
            self.shape[o] = list(s)
        return outs[0] if n_out == 1 else outs

    def weight(self, *dims):
        """A parameter: dims without data (left out, as the reader allows)."""
        t = TensorProto(name=self._name("param"), data_type=FLOAT)
        t.dims.extend(dims)
        self.inits.append(t)
        self.shape[t.name] = list(dims)
        return t.name

    def const(self, array):
        t = numpy_helper.from_array(np.asarray(array), self._name("const"))
        self.inits.append(t)
        self.shape[t.name] = list(np.asarray(array).shape)
        return t.name

    def conv(self, x, out, k, stride=(1, 1), groups=1, pad=None, bias=True):
        n, c, h, w = self.shape[x]
        s = stride if isinstance(stride, tuple) else (stride, stride)
        p = (k - 1) // 2 if pad is None else pad
        oh, ow = (h + 2 * p - k) // s[0] + 1, (w + 2 * p - k) // s[1] + 1
        self.macs += n * out * oh * ow * (c // groups) * k * k
        inputs = [x, self.weight(out, c // groups, k, k)] + ([self.weight(out)] if bias else [])
        return self.node("Conv", inputs, [n, out, oh, ow], kernel_shape=[k, k],
                         strides=list(s), pads=[p, p, p, p], group=groups, dilations=[1, 1])

    def conv_bn(self, x, out, k, stride=1, groups=1, act=None):
        y = self.conv(x, out, k, stride, groups, bias=False)
        y = self.node("BatchNormalization", [y] + [self.weight(out) for _ in range(4)],
                      self.shape[y], epsilon=1e-5)
        return self.act(y, act)

    def act(self, x, act):
        s = self.shape[x]
        if act == "relu":
            return self.node("Relu", [x], s)
        if act == "hardswish":  # paddle2onnx at opset 11: x * hard_sigmoid(x) (slope 1/6)
            return self.node("Mul", [x, self.node("HardSigmoid", [x], s, alpha=1 / 6, beta=0.5)], s)
        return x

    def se(self, x, reduction=4):
        n, c, h, w = self.shape[x]
        y = self.node("GlobalAveragePool", [x], [n, c, 1, 1])
        y = self.node("Relu", [self.conv(y, c // reduction, 1)], [n, c // reduction, 1, 1])
        y = self.node("HardSigmoid", [self.conv(y, c, 1)], [n, c, 1, 1], alpha=0.2, beta=0.5)
        return self.node("Mul", [x, y], self.shape[x])

    def resize_scales(self, x, factor):
        n, c, h, w = self.shape[x]
        return self.node("Resize", [x, self.const(np.zeros(0, np.float32)),
                                    self.const(np.array([1, 1, factor, factor], np.float32))],
                         [n, c, h * factor, w * factor], mode="nearest",
                         coordinate_transformation_mode="asymmetric", nearest_mode="floor")

    def resize_sizes(self, x, factor):
        """nearest_interp_v2 with scale, as paddle2onnx writes it when the input is dynamic."""
        n, c, h, w = self.shape[x]
        shape = self.node("Shape", [x], [4])
        nc = self.node("Slice", [shape, self.const([0]), self.const([2]), self.const([0])], [2])
        hw = self.node("Slice", [shape, self.const([2]), self.const([4]), self.const([0])], [2])
        hw = self.node("Cast", [hw], [2], to=FLOAT)
        hw = self.node("Mul", [hw, self.const(np.array([factor], np.float32))], [2])
        hw = self.node("Cast", [self.node("Floor", [hw], [2])], [2], to=INT64)
        sizes = self.node("Concat", [nc, hw], [4], axis=0)
        return self.node("Resize", [x, self.const(np.zeros(0, np.float32)),
                                    self.const(np.zeros(0, np.float32)), sizes],
                         [n, c, h * factor, w * factor], mode="nearest",
                         coordinate_transformation_mode="asymmetric", nearest_mode="floor")

    def conv_transpose_bn(self, x, out, act):
        n, c, h, w = self.shape[x]
        self.macs += n * c * h * w * out * 2 * 2
        y = self.node("ConvTranspose", [x, self.weight(c, out, 2, 2), self.weight(out)],
                      [n, out, 2 * h, 2 * w], kernel_shape=[2, 2], strides=[2, 2],
                      dilations=[1, 1], group=1, pads=[0, 0, 0, 0])
        if act:
            y = self.node("BatchNormalization", [y] + [self.weight(out) for _ in range(4)],
                          self.shape[y], epsilon=1e-5)
            y = self.act(y, act)
        return y

    def matmul(self, a, b, out_shape):
        sa, sb = self.shape[a], self.shape[b]
        batch = math.prod(out_shape[:-2])
        self.macs += batch * sa[-2] * sb[-1] * sa[-1]
        return self.node("MatMul", [a, b], out_shape)

    def linear(self, x, out):
        s = self.shape[x]
        y = self.matmul(x, self.weight(s[-1], out), s[:-1] + [out])
        return self.node("Add", [y, self.weight(out)], self.shape[y])

    def layer_norm(self, x):
        s, d = self.shape[x], self.shape[x][-1]
        mean = self.node("ReduceMean", [x], s[:-1] + [1], axes=[-1], keepdims=1)
        diff = self.node("Sub", [x, mean], s)
        var = self.node("ReduceMean", [self.node("Pow", [diff, self.const(np.float32(2))], s)],
                        s[:-1] + [1], axes=[-1], keepdims=1)
        std = self.node("Sqrt", [self.node("Add", [var, self.const(np.float32(1e-6))],
                                           s[:-1] + [1])], s[:-1] + [1])
        y = self.node("Div", [diff, std], s)
        return self.node("Add", [self.node("Mul", [y, self.weight(d)], s), self.weight(d)], s)

    def model(self, x, dynamic, outputs):
        graph = helper.make_graph(
            self.nodes, self.name, [helper.make_tensor_value_info(x, FLOAT, dynamic)],
            [helper.make_tensor_value_info(o, FLOAT, None) for o in outputs],
            initializer=self.inits)
        return helper.make_model(graph, producer_name="PaddlePaddle", ir_version=6,
                                 opset_imports=[helper.make_opsetid("", 11)])


def mobilenet_v3(net, x, cfg, scale):
    inplanes = make_divisible(16 * scale)
    y = net.conv_bn(x, inplanes, 3, 2, act="hardswish")
    features = []
    for k, exp, c, se, act, s in cfg:
        if s == 2:  # the map before each downsampling is one of the FPN's inputs
            features.append(y)
        mid, out = make_divisible(scale * exp), make_divisible(scale * c)
        z = net.conv_bn(y, mid, 1, act=act)
        z = net.conv_bn(z, mid, k, s, groups=mid, act=act)
        if se:
            z = net.se(z)
        z = net.conv_bn(z, out, 1)
        y = net.node("Add", [y, z], net.shape[z]) if s == 1 and inplanes == out else z
        inplanes = out
    features.append(y)
    return y, features


DET_CFG = [[3, 16, 16, False, "relu", 1], [3, 64, 24, False, "relu", 2],
           [3, 72, 24, False, "relu", 1], [5, 72, 40, True, "relu", 2],
           [5, 120, 40, True, "relu", 1], [5, 120, 40, True, "relu", 1],
           [3, 240, 80, False, "hardswish", 2], [3, 200, 80, False, "hardswish", 1],
           [3, 184, 80, False, "hardswish", 1], [3, 184, 80, False, "hardswish", 1],
           [3, 480, 112, True, "hardswish", 1], [3, 672, 112, True, "hardswish", 1],
           [5, 672, 160, True, "hardswish", 2], [5, 960, 160, True, "hardswish", 1],
           [5, 960, 160, True, "hardswish", 1]]


def det(h=640, w=640):
    net = Net("ppocr_det")
    x = "x"
    net.shape[x] = [1, 3, h, w]
    y, feats = mobilenet_v3(net, x, DET_CFG, 0.5)
    feats = feats[1:]  # strides 4, 8, 16, 32 (the stem's stride-2 map is not used)
    c2, c3, c4, c5 = [net.conv(f, 96, 1, bias=False) for f in feats]
    out4 = net.node("Add", [c4, net.resize_scales(c5, 2)], net.shape[c4])
    out3 = net.node("Add", [c3, net.resize_sizes(out4, 2)], net.shape[c3])
    out2 = net.node("Add", [c2, net.resize_scales(out3, 2)], net.shape[c2])
    p5, p4, p3, p2 = [net.conv(t, 24, 3, bias=False) for t in (c5, out4, out3, out2)]
    p5, p4, p3 = net.resize_sizes(p5, 8), net.resize_scales(p4, 4), net.resize_sizes(p3, 2)
    fuse = net.node("Concat", [p5, p4, p3, p2], net.shape[p2][:1] + [96] + net.shape[p2][2:],
                    axis=1)
    y = net.conv_bn(fuse, 24, 3, act="relu")
    y = net.conv_transpose_bn(y, 24, "relu")
    y = net.conv_transpose_bn(y, 1, None)
    y = net.node("Sigmoid", [y], net.shape[y])
    return net.model(x, ["p2o.DynamicDimension.0", 3, "p2o.DynamicDimension.1",
                         "p2o.DynamicDimension.2"], [y]), net.macs


def svtr_block(net, x, dim=120, heads=8):
    n, t, _ = net.shape[x]
    hd = dim // heads
    y = net.layer_norm(x)
    qkv = net.linear(y, 3 * dim)
    qkv = net.node("Reshape", [qkv, net.const(np.array([0, -1, 3, heads, hd], np.int64))],
                   [n, t, 3, heads, hd])
    qkv = net.node("Transpose", [qkv], [3, n, heads, t, hd], perm=[2, 0, 3, 1, 4])
    q, k, v = [net.node("Gather", [qkv, net.const(np.int64(i))], [n, heads, t, hd], axis=0)
               for i in range(3)]
    q = net.node("Mul", [q, net.const(np.float32(hd ** -0.5))], net.shape[q])
    kt = net.node("Transpose", [k], [n, heads, hd, t], perm=[0, 1, 3, 2])
    attn = net.node("Softmax", [net.matmul(q, kt, [n, heads, t, t])], [n, heads, t, t], axis=-1)
    ctx = net.node("Transpose", [net.matmul(attn, v, [n, heads, t, hd])], [n, t, heads, hd],
                   perm=[0, 2, 1, 3])
    ctx = net.node("Reshape", [ctx, net.const(np.array([0, -1, dim], np.int64))], [n, t, dim])
    x = net.node("Add", [x, net.linear(ctx, dim)], [n, t, dim])
    y = net.linear(net.layer_norm(x), 2 * dim)
    y = net.node("Mul", [y, net.node("Sigmoid", [y], net.shape[y])], net.shape[y])  # swish
    return net.node("Add", [x, net.linear(y, dim)], [n, t, dim])


def rec(h=48, w=320):
    net = Net("ppocr_rec")
    x = "x"
    net.shape[x] = [1, 3, h, w]
    y = net.conv_bn(x, 16, 3, 2, act="hardswish")
    blocks = [(32, 3, 1, False), (64, 3, 1, False), (64, 3, 1, False), (128, 3, (2, 1), False),
              (128, 3, 1, False), (256, 3, (2, 1), False)] + [(256, 5, 1, False)] * 5 + [
                 (512, 5, (2, 1), True), (512, 5, 1, True)]
    for out, k, s, se in blocks:
        c = net.shape[y][1]
        y = net.conv_bn(y, c, k, s, groups=c, act="hardswish")
        if se:
            y = net.se(y)
        y = net.conv_bn(y, out, 1, act="hardswish")
    n, c, hh, ww = net.shape[y]
    y = net.node("AveragePool", [y], [n, c, hh // 2, ww // 2], kernel_shape=[2, 2],
                 strides=[2, 2], pads=[0, 0, 0, 0])
    shortcut = y
    z = net.conv_bn(y, 64, 3, act="hardswish")
    z = net.conv_bn(z, 120, 1, act="hardswish")
    n, c, hh, ww = net.shape[z]
    # flatten(2).transpose([0, 2, 1]) with the target computed from the shape
    shape = net.node("Shape", [z], [4])
    nc = net.node("Slice", [shape, net.const([0]), net.const([2]), net.const([0])], [2])
    target = net.node("Concat", [nc, net.const(np.array([-1], np.int64))], [3], axis=0)
    t = net.node("Transpose", [net.node("Reshape", [z, target], [n, c, hh * ww])],
                 [n, hh * ww, c], perm=[0, 2, 1])
    for _ in range(2):
        t = svtr_block(net, t)
    t = net.layer_norm(t)
    # back to [N, C, H, W]: H and W taken from the conv's shape
    hw = net.node("Slice", [shape, net.const([2]), net.const([4]), net.const([0])], [2])
    back = net.node("Concat", [net.const(np.array([0, 120], np.int64)), hw], [4], axis=0)
    z = net.node("Reshape", [net.node("Transpose", [t], [n, c, hh * ww], perm=[0, 2, 1]), back],
                 [n, c, hh, ww])
    z = net.conv_bn(z, 512, 1, act="hardswish")
    z = net.node("Concat", [shortcut, z], [n, 1024, hh, ww], axis=1)
    z = net.conv_bn(z, 64, 3, act="hardswish")
    z = net.node("Squeeze", [z], [n, 64, ww], axes=[2])
    z = net.node("Transpose", [z], [n, ww, 64], perm=[0, 2, 1])
    z = net.node("Softmax", [net.linear(z, 6625)], [n, ww, 6625], axis=2)
    return net.model(x, ["p2o.DynamicDimension.0", 3, 48, "p2o.DynamicDimension.1"], [z]), net.macs


CLS_CFG = [[3, 16, 16, True, "relu", 2], [3, 72, 24, False, "relu", 2],
           [3, 88, 24, False, "relu", 1], [5, 96, 40, True, "hardswish", 2],
           [5, 240, 40, True, "hardswish", 1], [5, 120, 48, True, "hardswish", 1],
           [5, 288, 96, True, "hardswish", 2], [5, 576, 96, True, "hardswish", 1]]


def cls(h=48, w=192):
    net = Net("ppocr_cls")
    x = "x"
    net.shape[x] = [1, 3, h, w]
    y, _ = mobilenet_v3(net, x, CLS_CFG, 0.35)
    y = net.conv_bn(y, make_divisible(0.35 * 576), 1, act="hardswish")
    n, c, _, _ = net.shape[y]
    y = net.node("GlobalAveragePool", [y], [n, c, 1, 1])
    y = net.node("Flatten", [y], [n, c], axis=1)
    y = net.node("Softmax", [net.linear(y, 2)], [n, 2], axis=1)
    return net.model(x, ["p2o.DynamicDimension.0", 3, 48, 192], [y]), net.macs


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "data", "onnx",
                                                                  "paddleocr")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "macs.tsv"), "w") as table:
        for name, build in (("ppocr_det", det), ("ppocr_rec", rec), ("ppocr_cls", cls)):
            model, macs = build()
            onnx.save_model(model, os.path.join(out_dir, name + ".onnx"))
            table.write(f"{name}.onnx\t{macs}\n")
            print(f"{name}.onnx: {len(model.graph.node)} nodes, {macs} MACs")


if __name__ == "__main__":
    main()
