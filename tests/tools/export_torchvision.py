#!/usr/bin/python3
"""Exports torchvision models with torch.onnx and counts their MACs independently of tessel.

Run with Debian's interpreter and Debian's python3-torch / python3-torchvision (optional: they are
not build dependencies; `apt-get install python3-torchvision`):

    /usr/bin/python3 tests/tools/export_torchvision.py OUT_DIR [MODEL[@OPSET] ...]
    /usr/bin/python3 tests/tools/export_torchvision.py OUT_DIR --small

For each model (random weights; the MAC count does not depend on them) it writes OUT_DIR/NAME.onnx
exactly as torch.onnx.export writes it (static input shape, no hand editing) and one line of
OUT_DIR/macs.tsv: `file<TAB>macs<TAB>MAC nodes<TAB>uncounted`. --small exports the few reduced
configurations tests/onnx_exports_test.cc uses (a MobileNetV3, an LR-ASPP segmenter, a ViT and a
Swin transformer of the torchvision classes at small sizes, and a small decoder with
ConvTranspose2d and grouped convs) in a few seconds. The MACs are counted while PyTorch runs the model
once, from the ATen operators it dispatches (a TorchDispatchMode sees every aten.convolution,
mm, addmm, bmm and baddbmm call with its real operand shapes), so the count comes from PyTorch's
own execution, not from the ONNX graph. `uncounted` lists any other dispatched operator whose name
suggests multiply-accumulates (conv, mm, matmul, einsum, linear), so a gap in the counter shows.
"""
import math
import os
import sys

import onnx
import torch
import torchvision
from torch.utils._python_dispatch import TorchDispatchMode

aten = torch.ops.aten

# name -> (constructor, input shape, opset). Segmentation models at torchvision's evaluation size.
MODELS = {
    "resnet50": (torchvision.models.resnet50, [1, 3, 224, 224], 14),
    "mobilenet_v2": (torchvision.models.mobilenet_v2, [1, 3, 224, 224], 14),
    "mobilenet_v3_large": (torchvision.models.mobilenet_v3_large, [1, 3, 224, 224], 14),
    "efficientnet_b0": (torchvision.models.efficientnet_b0, [1, 3, 224, 224], 14),
    "resnext50_32x4d": (torchvision.models.resnext50_32x4d, [1, 3, 224, 224], 14),
    "shufflenet_v2_x1_0": (torchvision.models.shufflenet_v2_x1_0, [1, 3, 224, 224], 14),
    "regnet_y_400mf": (torchvision.models.regnet_y_400mf, [1, 3, 224, 224], 14),
    "densenet121": (torchvision.models.densenet121, [1, 3, 224, 224], 14),
    "squeezenet1_1": (torchvision.models.squeezenet1_1, [1, 3, 224, 224], 11),
    "googlenet": (lambda: torchvision.models.googlenet(aux_logits=False, init_weights=False),
                  [1, 3, 224, 224], 14),
    "inception_v3": (lambda: torchvision.models.inception_v3(aux_logits=False, init_weights=False),
                     [1, 3, 299, 299], 14),
    "convnext_tiny": (torchvision.models.convnext_tiny, [1, 3, 224, 224], 14),
    "mnasnet1_0": (torchvision.models.mnasnet1_0, [1, 3, 224, 224], 14),
    "vit_b_16": (torchvision.models.vit_b_16, [1, 3, 224, 224], 14),
    "vit_b_16_opset17": (torchvision.models.vit_b_16, [1, 3, 224, 224], 17),
    "swin_t": (torchvision.models.swin_t, [1, 3, 224, 224], 14),
    "maxvit_t": (torchvision.models.maxvit_t, [1, 3, 224, 224], 14),
    "fcn_resnet50": (lambda: torchvision.models.segmentation.fcn_resnet50(
        weights=None, weights_backbone=None, aux_loss=False), [1, 3, 520, 520], 14),
    "deeplabv3_mobilenet_v3_large": (
        lambda: torchvision.models.segmentation.deeplabv3_mobilenet_v3_large(
            weights=None, weights_backbone=None, aux_loss=False), [1, 3, 520, 520], 14),
    "lraspp_mobilenet_v3_large": (
        lambda: torchvision.models.segmentation.lraspp_mobilenet_v3_large(
            weights=None, weights_backbone=None), [1, 3, 520, 520], 14),
    # Detection (not part of the must-hold list): post-processing is data-dependent (NonZero,
    # TopK, NonMaxSuppression), so tessel refuses these with the node named.
    "ssdlite320_mobilenet_v3_large": (
        lambda: torchvision.models.detection.ssdlite320_mobilenet_v3_large(
            weights=None, weights_backbone=None), [3, 320, 320], 14),
    "fasterrcnn_mobilenet_v3_large_320_fpn": (
        lambda: torchvision.models.detection.fasterrcnn_mobilenet_v3_large_320_fpn(
            weights=None, weights_backbone=None), [3, 320, 320], 14),
}
NO_WEIGHTS_ARGUMENT = ("googlenet", "inception", "fcn", "deeplab", "lraspp", "ssdlite",
                       "fasterrcnn")


class Decoder(torch.nn.Module):
    """Upsampling with every ConvTranspose2d attribute, and grouped / depthwise convs."""

    def __init__(self):
        super().__init__()
        nn = torch.nn
        self.body = nn.Sequential(
            nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(16, 16, 3, padding=1, groups=16), nn.Conv2d(16, 32, 3, padding=2,
                                                                  dilation=2, groups=4),
            nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
            nn.ConvTranspose2d(16, 8, (2, 4), stride=(1, 2), padding=(0, 1), dilation=(2, 1),
                               groups=2),
            nn.ConvTranspose2d(8, 4, 4, stride=2, padding=1, groups=4))

    def forward(self, x):
        return torch.nn.functional.interpolate(self.body(x), size=(40, 40), mode="bilinear")


SMALL = {
    "small_mobilenet_v3": (lambda: torchvision.models.mobilenet_v3_small(), [1, 3, 64, 64], 14),
    "small_lraspp": (lambda: torchvision.models.segmentation.lraspp_mobilenet_v3_large(
        weights=None, weights_backbone=None), [1, 3, 96, 96], 14),
    "small_vit": (lambda: torchvision.models.VisionTransformer(
        image_size=32, patch_size=8, num_layers=2, num_heads=2, hidden_dim=32, mlp_dim=64),
        [1, 3, 32, 32], 14),
    "small_swin": (lambda: torchvision.models.SwinTransformer(
        patch_size=[4, 4], embed_dim=16, depths=[2, 2], num_heads=[2, 4], window_size=[4, 4]),
        [1, 3, 64, 64], 14),
    "small_decoder": (Decoder, [1, 3, 32, 32], 13),
}


def mac_nodes(path):
    """MAC-op nodes of the exported graph whose inputs are not all constants."""
    model = onnx.load(path, load_external_data=False)
    constants = {t.name for t in model.graph.initializer}
    count = 0
    for node in model.graph.node:
        if node.op_type == "Constant" or all(i in constants for i in node.input if i):
            constants.update(node.output)
        elif node.op_type in ("Conv", "ConvTranspose", "Gemm", "MatMul", "Einsum"):
            count += 1
    return count


def conv_macs(args, out):
    """aten.convolution(input, weight, bias, stride, padding, dilation, transposed, ...)."""
    x, w, transposed = args[0], args[1], args[6]
    kernel = math.prod(w.shape[2:])
    if transposed:  # every input element meets every tap of its group's filters
        return x.numel() * w.shape[1] * kernel  # w: [C_in, C_out / groups, k...]
    return out.numel() * w.shape[1] * kernel  # w: [C_out, C_in / groups, k...]


def mm_macs(a, b):
    return math.prod(a.shape[:-1]) * b.shape[-1] * a.shape[-1]


COUNTERS = {
    aten.convolution.default: conv_macs,
    aten.mm.default: lambda args, out: mm_macs(args[0], args[1]),
    aten.addmm.default: lambda args, out: mm_macs(args[1], args[2]),
    aten.bmm.default: lambda args, out: mm_macs(args[0], args[1]),
    aten.baddbmm.default: lambda args, out: mm_macs(args[1], args[2]),
}


class MacCounter(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.macs, self.uncounted = 0, set()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        if func in COUNTERS:
            self.macs += COUNTERS[func](args, out)
        else:
            name = str(func.overloadpacket.__name__)
            if any(s in name for s in ("conv", "mm", "matmul", "einsum", "linear")):
                self.uncounted.add(name)
        return out


def export(name, out_dir):
    base = name.split("@")[0]
    build, shape, opset = MODELS[base] if base in MODELS else SMALL[base]
    if "@" in name:
        opset = int(name.split("@")[1])
    small = base in SMALL
    model = build() if small or base.startswith(NO_WEIGHTS_ARGUMENT) else build(weights=None)
    model.eval()
    x = torch.randn(*shape)
    if len(shape) == 3:  # detection models take a list of images
        x = ([x],)
    # Under no_grad, nn.MultiheadAttention takes a fused fast path (one aten op that neither the
    # counter nor torch 1.13's exporter understands): transformers run with autograd on.
    grad = torch.enable_grad() if "vit" in base else torch.no_grad()
    counter = MacCounter()
    with grad, counter:
        model(*x) if isinstance(x, tuple) else model(x)
    path = os.path.join(out_dir, name.replace("@", "_opset") + ".onnx")
    with grad:
        torch.onnx.export(model, x, path, opset_version=opset, input_names=["input"],
                          do_constant_folding=True)
    return os.path.basename(path), counter.macs, mac_nodes(path), sorted(counter.uncounted)


def main():
    out_dir = sys.argv[1]
    names = list(SMALL) if sys.argv[2:] == ["--small"] else sys.argv[2:] or list(MODELS)
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    with open(os.path.join(out_dir, "macs.tsv"), "a") as table:
        for name in names:
            try:
                file, macs, nodes, uncounted = export(name, out_dir)
            except Exception as e:  # report and go on: one exporter failure is a finding too
                print(f"{name}: export failed: {type(e).__name__}: {e}", file=sys.stderr)
                continue
            table.write(f"{file}\t{macs}\t{nodes}\t{','.join(uncounted)}\n")
            table.flush()
            print(f"{file}: {macs} MACs", flush=True)


if __name__ == "__main__":
    main()
