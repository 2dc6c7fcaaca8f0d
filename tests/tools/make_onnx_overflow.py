#!/usr/bin/python3
"""Writes the ONNX models of tests/overflow_test.cc into tests/data/onnx/overflow/.

    /usr/bin/python3 tests/tools/make_onnx_overflow.py [OUT_DIR]

Declared shapes whose sizes do not fit in 64 bits, with no weights at all (a few hundred bytes
each): the reader must refuse them with a UserError, never wrap a count or try to allocate.
  huge_tensor.onnx   Relu of x[4294967296, 4294967296, 4]: 2^66 elements in one tensor.
  huge_conv.onnx     Conv of x[1, 65536, 65536, 65536] (2^48 elements) with w[65536, 65536, 1, 1]
                     (2^32): every tensor fits, the MACs (2^16 x 2^16 x 2^32 = 2^64) do not.
The files are committed; running the script again rewrites identical bytes.
"""
import os
import sys

import onnx
from onnx import TensorProto, helper

FLOAT = TensorProto.FLOAT


def model(name, nodes, inputs, outputs):
    graph = helper.make_graph(nodes, name, inputs, outputs)
    m = helper.make_model(graph, producer_name="tessel-tests",
                          opset_imports=[helper.make_opsetid("", 13)])
    m.ir_version = 8
    return m


def huge_tensor():
    x = helper.make_tensor_value_info("x", FLOAT, [4294967296, 4294967296, 4])
    y = helper.make_tensor_value_info("y", FLOAT, None)
    return model("huge_tensor", [helper.make_node("Relu", ["x"], ["y"], name="relu")], [x], [y])


def huge_conv():
    x = helper.make_tensor_value_info("x", FLOAT, [1, 65536, 65536, 65536])
    w = helper.make_tensor_value_info("w", FLOAT, [65536, 65536, 1, 1])
    y = helper.make_tensor_value_info("y", FLOAT, None)
    conv = helper.make_node("Conv", ["x", "w"], ["y"], name="conv")
    return model("huge_conv", [conv], [x, w], [y])


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "data", "onnx", "overflow")
    os.makedirs(out, exist_ok=True)
    for name, build in (("huge_tensor", huge_tensor), ("huge_conv", huge_conv)):
        onnx.save(build(), os.path.join(out, name + ".onnx"))


if __name__ == "__main__":
    main()
