#!/usr/bin/python3
"""Assembles the seed corpora of the fuzz targets (fuzz/*_fuzz.cc) from tests/data and examples.

    scripts/fuzz_seeds.py OUT_DIR [TESSEL_BINARY]

writes OUT_DIR/TARGET/NNNN files, one directory per target. Multi-file inputs are packed with
`#=== NAME` marker lines (fuzz/fuzz_files.h). With TESSEL_BINARY, the report_json seeds are
network results made by `tessel map --workload ... --json` (a few seconds); without it, that
target starts from a minimal JSON object. Nothing here is committed: the corpora are rebuilt
from the repository's own inputs every time.
"""
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples"


def pack(files):
    """Packs [(name, path)] into one fuzz input with `#=== NAME` markers."""
    out = b""
    for name, path in files:
        out += b"#=== " + name.encode() + b"\n" + path.read_bytes()
        if not out.endswith(b"\n"):
            out += b"\n"
    return out


def yamls(directory):
    return sorted(p for p in directory.rglob("*.yaml") if p.is_file())


def timeloop_cases():
    """Every Timeloop / CoSA input set the tests use, as packed inputs."""
    cases = []
    for design in sorted((DATA / "timeloop" / "current").iterdir()) + sorted(
            (DATA / "timeloop" / "example_designs").iterdir()) + [
                EXAMPLES / "default", EXAMPLES / "simba"]:
        if design.is_dir():
            cases.append([(p.name, p) for p in yamls(design)])
    for exercise in sorted((DATA / "timeloop" / "exercises").iterdir()):
        common = [(p.name, p) for sub in ("arch", "prob", "constraints", "mapper")
                  if (exercise / sub).is_dir() for p in yamls(exercise / sub)]
        maps = yamls(exercise / "map") if (exercise / "map").is_dir() else []
        for m in maps or [None]:
            cases.append(common + ([(m.name, m)] if m else []))
    cosa = DATA / "cosa"
    layers = sorted((cosa / "workloads" / "resnet50_graph").glob("*.yaml"))[:8]
    for layer in layers:
        cases.append([("arch.yaml", cosa / "arch" / "simba.yaml"),
                      ("mapspace.yaml", cosa / "mapspace" / "mapspace.yaml"),
                      ("layer.yaml", layer)])
    return cases


def stream_systems():
    cases = []
    for system in sorted(DATA.glob("stream/**/hardware/*.yaml")) + sorted(
            (EXAMPLES / "multicore" / "hardware").glob("*.yaml")):
        cores = yamls(system.parent / "cores")
        cases.append([(system.name, system)] + [(c.name, c) for c in cores])
    bad = DATA / "stream" / "bad"
    for system in yamls(bad):
        cases.append([(system.name, system)] + [(c.name, c) for c in yamls(bad) if c != system])
    form = DATA / "stream" / "tessel_form"
    cases.append([(p.name, p) for p in yamls(form)])
    return cases


def meshes():
    cases = []
    for directory in (EXAMPLES / "mesh", DATA / "ratree"):
        files = yamls(directory)
        for mesh in files:
            if "mesh" in mesh.name or mesh.name == "no_port.yaml":
                cases.append([(mesh.name, mesh)] + [(t.name, t) for t in files if t != mesh])
    return cases


def network_results(tessel):
    if not tessel:
        return [b'{"workload": "w", "layers": []}\n']
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for workload in ("alexnet", str(DATA / "onnx" / "conv1d.onnx")):
            out = pathlib.Path(tmp) / "out.json"
            subprocess.run([tessel, "map", "--arch", str(EXAMPLES / "simba"), "--workload",
                            workload, "--mapper", "random", "--samples", "2", "--seed", "3",
                            "--json", str(out)], check=True, stdout=subprocess.DEVNULL)
            results.append(out.read_bytes())
    return results


def main():
    out = pathlib.Path(sys.argv[1])
    tessel = sys.argv[2] if len(sys.argv) > 2 else None
    stream_mappings = sorted(DATA.glob("stream/**/mapping/*.yaml")) + sorted(
        (EXAMPLES / "multicore" / "mapping").glob("*.yaml")) + [
            DATA / "stream" / "tessel_form" / "mapping.yaml"]
    mappings = sorted(DATA.glob("timeloop/exercises/*/map/*.yaml")) + [
        EXAMPLES / "default" / "mapping.yaml"]
    seeds = {
        "timeloop_eval_fuzz": [pack(case) for case in timeloop_cases()],
        "mapping_fuzz": [p.read_bytes() for p in mappings],
        "cim_arch_fuzz": [p.read_bytes() for p in yamls(EXAMPLES / "cim")],
        "onnx_fuzz": [p.read_bytes() for p in sorted(DATA.glob("onnx/**/*.onnx"))],
        "report_json_fuzz": network_results(tessel),
        "stream_system_fuzz": [pack(case) for case in stream_systems()],
        "stream_mapping_fuzz": [p.read_bytes() for p in stream_mappings],
        "mesh_fuzz": [pack(case) for case in meshes()],
    }
    for target, inputs in seeds.items():
        directory = out / target
        directory.mkdir(parents=True, exist_ok=True)
        for i, data in enumerate(inputs):
            (directory / f"seed{i:04d}").write_bytes(data)
        print(f"{target}: {len(inputs)} seeds")


if __name__ == "__main__":
    main()
