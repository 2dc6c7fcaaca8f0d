"""tessel.tune against `tessel tune --json` on the same inputs, with and without a log."""
import pytest

import tessel
from conftest import DATA, EXAMPLES

VGG8 = EXAMPLES / "cim" / "vgg8_cifar10.yaml"


def test_cim_tune_equals_cli(cli):
    ref = cli("tune", "--workload", VGG8, "--trials", "8")
    assert ref.code == 0, ref.err
    assert tessel.tune(VGG8, trials=8) == ref.json
    ref = cli("tune", "--workload", VGG8, "--trials", "8", "--model", "cim-formula",
              "--objective", "total", "--seed", "5")
    assert tessel.tune(str(VGG8), trials=8, model="cim-formula", objective="total",
                       seed=5) == ref.json


def test_tune_with_a_log_replays_it(tmp_path):
    log = tmp_path / "runs.jsonl"
    first = tessel.tune(VGG8, trials=8, log=log)
    assert log.exists() and log.read_text().count("\n") > 0
    assert tessel.tune(VGG8, trials=8, log=log) == first  # replayed, same result


def test_timeloop_tune_equals_cli(cli):
    cosa = DATA / "cosa"
    arch = [cosa / "arch" / "simba.yaml", cosa / "mapspace" / "mapspace.yaml"]
    ref = cli("tune", "--model", "timeloop", "--workload", "cosa:resnet18_batch16", "--arch",
              *arch, "--trials", "8")
    assert ref.code == 0, ref.err
    assert tessel.tune("cosa:resnet18_batch16", arch, model="timeloop", trials=8) == ref.json


def test_tune_errors_equal_cli(cli):
    for args, kwargs in [(["--model", "cim-magic"], {"model": "cim-magic"}),
                         (["--chips", "0"], {"chips": 0}),
                         (["--model", "timeloop", "--chips", "2"],
                          {"model": "timeloop", "chips": 2}),
                         (["--trials", "0"], {"trials": 0})]:
        ref = cli("tune", "--workload", VGG8, *args)
        assert ref.code == 2, ref.err
        with pytest.raises(tessel.InputError) as info:
            tessel.tune(VGG8, **kwargs)
        assert str(info.value) == ref.message
    with pytest.raises(TypeError):
        tessel.tune(None)
    with pytest.raises(TypeError):
        tessel.tune(VGG8, chips=[2])
