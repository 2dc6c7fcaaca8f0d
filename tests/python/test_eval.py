"""tessel.load and tessel.evaluate against `tessel eval --json`: same dicts, same errors."""
import pathlib
import warnings

import pytest

import tessel
from conftest import DATA, EXAMPLES

DEFAULT = EXAMPLES / "default"
EX06 = DATA / "timeloop" / "exercises" / "06-mapper-convlayer-eyeriss"


def test_default_equals_cli(cli):
    ref = cli("eval")
    assert ref.code == 0, ref.err
    assert tessel.evaluate() == ref.json
    assert tessel.evaluate(tessel.load()) == ref.json


def test_files_equal_cli(cli):
    files = [DEFAULT / "arch.yaml", DEFAULT / "problem.yaml", DEFAULT / "mapping.yaml"]
    ref = cli("eval", *files)
    assert ref.code == 0, ref.err
    assert tessel.evaluate(*files) == ref.json
    assert tessel.evaluate(*map(str, files)) == ref.json
    # no ERT: energies are estimates, as the CLI says
    assert ref.json["energy_is_estimate"] is True


def test_directory_equals_cli(cli):
    ref = cli("eval", DEFAULT)
    assert tessel.evaluate(DEFAULT) == ref.json
    assert sorted(tessel.load(DEFAULT).files) == sorted(tessel.load().files)


def test_constrained_eval_equals_cli(cli):
    files = [EX06 / "arch" / "eyeriss_like.yaml", EX06 / "prob" / "VGG02_layer5.yaml",
             EX06 / "ref-output" / "timeloop-mapper.ERT.yaml",
             EX06 / "ref-output" / "timeloop-mapper.map.yaml"]
    ref = cli("eval", *files)
    assert ref.code == 0, ref.err
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = tessel.evaluate(*files)
    assert got == ref.json
    assert "constraint_violations" in got
    assert not tessel.load(*files).constraints.empty


def test_inputs_have_readable_attributes():
    inputs = tessel.load()
    assert inputs.problem.dims == ["C", "M", "R", "S", "N", "P", "Q"]  # as problem.yaml
    assert inputs.problem.bounds["R"] == 3
    assert inputs.arch.storage[0].index == 0
    assert inputs.arch.storage[-1].is_dram
    assert inputs.arch.level("GlobalBuffer").name == "GlobalBuffer"
    d = inputs.to_dict()
    assert set(d) == {"problem", "arch", "mapping", "constraints", "files"}
    assert [s["name"] for s in d["arch"]["storage"]] == [s.name for s in inputs.arch.storage]
    assert d["problem"]["dims"] == inputs.problem.bounds
    assert len(d["mapping"]) == len(inputs.arch.storage)
    assert inputs.has_ert
    assert "GlobalBuffer" in repr(inputs.arch)
    # the docstrings help() shows
    for obj in (tessel, tessel.load, tessel.evaluate, tessel.map_layer, tessel.map_network,
                tessel.schedule, tessel.Arch, tessel.Mapping, tessel.Problem):
        assert obj.__doc__ and len(obj.__doc__) > 20, obj


def test_mapping_round_trips_through_timeloop_yaml(tmp_path, cli):
    inputs = tessel.load()
    text = inputs.mapping.to_yaml(inputs.problem, inputs.arch)
    assert text.startswith("mapping:")
    assert text == inputs.mapping_yaml()
    (tmp_path / "m.yaml").write_text(text)
    again = tessel.load(DEFAULT / "arch.yaml", DEFAULT / "problem.yaml", DEFAULT / "ERT.yaml",
                        tmp_path / "m.yaml")
    assert tessel.evaluate(again) == tessel.evaluate(inputs)
    ref = cli("eval", DEFAULT / "arch.yaml", DEFAULT / "problem.yaml", DEFAULT / "ERT.yaml",
              tmp_path / "m.yaml")
    assert ref.json == tessel.evaluate(again)


def test_loads_from_strings():
    texts = [(DEFAULT / n).read_text() for n in ("arch.yaml", "problem.yaml", "mapping.yaml",
                                                  "ERT.yaml")]
    assert tessel.evaluate(tessel.loads(*texts)) == tessel.evaluate()
