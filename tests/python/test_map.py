"""map_layer, map_network and schedule against the CLI's JSON on the same inputs."""
import pytest

import tessel
from conftest import DATA, EXAMPLES

COSA = DATA / "cosa"
SIMBA = [COSA / "arch" / "simba.yaml", COSA / "mapspace" / "mapspace.yaml"]
LAYER = COSA / "workloads" / "deepbench_graph" / "09_OCR.yaml"
STREAM = DATA / "stream"


@pytest.mark.parametrize("mapper,extra", [
    ("cosa", {}),
    ("random", {"samples": 20, "seed": 7}),
])
def test_map_layer_equals_cli(cli, mapper, extra):
    args = ["map", *SIMBA, LAYER, "--mapper", mapper, "--no-timings"]
    for key, value in extra.items():
        args += [f"--{key}", value]
    ref = cli(*args)
    assert ref.code == 0, ref.err
    got = tessel.map_layer(*SIMBA, LAYER, mapper=mapper, timings=False, **extra)
    assert got == ref.json
    # From an Inputs, and mapper_seconds when timings are on (as the CLI without --no-timings).
    timed = tessel.map_layer(tessel.load(*SIMBA, LAYER), mapper=mapper, **extra)
    assert timed.pop("mapper_seconds") >= 0
    assert timed == got


def test_map_layer_mapping_evaluates_to_its_cost(tmp_path):
    inputs = tessel.load(*SIMBA, LAYER)
    result = tessel.map_layer(inputs, mapper="random", samples=10, timings=False)
    dims = inputs.problem.dims
    levels = []
    names = [s.name for s in inputs.arch.storage]
    for entry in result["mapping"]:
        keep = [ds in entry["keep"] for ds in inputs.problem.data_spaces]
        temporal = [tessel.Loop(dims.index(l["dim"]), l["factor"]) for l in entry["temporal"]]
        spatial = [tessel.Loop(dims.index(l["dim"]), l["factor"], l["axis"])
                   for l in entry["spatial"]]
        levels.append(tessel.LevelMapping(temporal, spatial, keep))
    assert [e["level"] for e in result["mapping"]] == names
    inputs.mapping = tessel.Mapping(levels)
    cost = tessel.evaluate(inputs)
    for key in ("cycles", "energy_pJ", "utilization", "computes", "levels"):
        assert cost[key] == result[key], key


def test_map_network_equals_cli(cli, tmp_path):
    args = ["--mapper", "random", "--samples", "2", "--seed", "3"]
    ref = cli("map", "--arch", SIMBA[0], "--arch", SIMBA[1], "--workload", "resnet18", *args,
              "--threads", "2")
    assert ref.code == 0, ref.err
    got = tessel.map_network("resnet18", [str(p) for p in SIMBA], mapper="random", samples=2,
                             seed=3, threads=2)
    assert got == ref.json
    # The result does not depend on the thread count; an Inputs can stand for the arch files.
    assert tessel.map_network("resnet18", tessel.load(*SIMBA, LAYER), mapper="random", samples=2,
                              seed=3, threads=1)["total"] == ref.json["total"]


def test_map_network_default_equals_cli(cli, tmp_path):
    # `tessel map` with no argument: ResNet-50 on the bundled Simba-like arch, cosa.
    ref = cli("map", "--threads", "2")
    assert ref.code == 0, ref.err
    assert tessel.map_network(threads=2) == ref.json


def test_schedule_equals_cli(cli):
    lab3 = ["--arch", STREAM / "lab3/inputs/hardware/hda_bus.yaml", "--workload",
            STREAM / "lab3/inputs/workload/4_convs.onnx", "--mapping",
            STREAM / "lab3/inputs/mapping/mapping.yaml"]
    ref = cli("schedule", *lab3, "--threads", "2")
    assert ref.code == 0, ref.err
    got = tessel.schedule(lab3[1], lab3[3], lab3[5], threads=2)
    assert got == ref.json


def test_schedule_default_equals_cli(cli):
    ref = cli("schedule", "--threads", "2")
    assert ref.code == 0, ref.err
    got = tessel.schedule(threads=2)
    assert got == ref.json
    assert got["workload"] == "resnet18" and got["search"] == "ga"
