#!/usr/bin/python3
"""Imports exported ONNX models with tessel and compares them with an independent MAC count.

    /usr/bin/python3 tests/tools/check_onnx_imports.py TESSEL DIR

DIR holds the models and macs.tsv (`file<TAB>macs<TAB>...`) as export_torchvision.py or
make_paddleocr_models.py write them. For each model it runs `TESSEL map --workload MODEL
--mapper random --samples 1` (the import is what is checked; one random mapping per shape keeps
it fast) and prints one row: the exit status, the MAC layers tessel found against the MAC-op
nodes of the graph (Conv, ConvTranspose, Gemm, MatMul, Einsum, counted here by walking the
graph, without tessel), and tessel's total MACs against the independent count.
"""
import json
import os
import subprocess
import sys
import tempfile

import onnx

MAC_OPS = {"Conv", "ConvTranspose", "Gemm", "MatMul", "Einsum"}


def mac_nodes(path):
    """MAC-op nodes whose inputs are not all initializers (a weight-only MatMul is folded)."""
    model = onnx.load(path, load_external_data=False)
    constants = {t.name for t in model.graph.initializer}
    count = 0
    for node in model.graph.node:
        if node.op_type == "Constant":
            constants.update(node.output)
        elif all(i in constants for i in node.input if i):
            constants.update(node.output)
        elif node.op_type in MAC_OPS:
            count += 1
    return count


def main():
    tessel, directory = sys.argv[1], sys.argv[2]
    rows = [line.rstrip("\n").split("\t") for line in open(os.path.join(directory, "macs.tsv"))]
    print(f"{'model':40} {'exit':>4} {'MAC layers':>12} {'tessel MACs':>14} {'counted MACs':>14}"
          f" {'diff %':>8}")
    failures = 0
    for file, expected, *_ in rows:
        path = os.path.join(directory, file)
        with tempfile.TemporaryDirectory() as out:
            result = subprocess.run(
                [tessel, "map", "--workload", path, "--mapper", "random", "--samples", "1",
                 "--threads", "2", "--json", os.path.join(out, "r.json"), "--html",
                 os.path.join(out, "r.html")], capture_output=True, text=True)
            if result.returncode != 0:
                failures += 1
                print(f"{file:40} {result.returncode:>4}  {result.stderr.strip()[:300]}")
                continue
            total = json.load(open(os.path.join(out, "r.json")))["total"]
        macs, expected = total["macs"], int(expected)
        diff = 100.0 * (macs - expected) / expected
        layers = f"{total['mac_layers']}/{mac_nodes(path)}"
        print(f"{file:40} {0:>4} {layers:>12} {macs:>14} {expected:>14} {diff:>8.4f}")
        failures += abs(diff) > 0.1
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
