"""Nothing from Python crashes the interpreter: wrong types, None, empty lists, bad values, and
objects used after what they came from changed."""
import pytest

import tessel


@pytest.mark.parametrize("args", [(None,), (42,), ([None],), (object(),), ([1, 2],)])
def test_wrong_types_raise_type_error(args):
    with pytest.raises(TypeError):
        tessel.evaluate(*args)
    with pytest.raises(TypeError):
        tessel.load(*args)


def test_none_and_wrong_types_in_keywords():
    inputs = tessel.load()
    with pytest.raises(TypeError):
        tessel.map_layer(inputs, mapper=None)
    with pytest.raises(TypeError):
        tessel.map_layer(inputs, samples="five")
    with pytest.raises(TypeError):
        tessel.map_network(workload=3)
    with pytest.raises(TypeError):
        tessel.map_network("resnet18", arch=[None])
    with pytest.raises(TypeError):
        tessel.schedule(arch=1.5)
    with pytest.raises(TypeError):
        tessel.Inputs(None, None)
    with pytest.raises(TypeError):
        inputs.arch = None
    with pytest.raises(TypeError):
        inputs.mapping.to_yaml(None, None)
    with pytest.raises(TypeError):
        tessel.loads(None)


def test_empty_lists():
    with pytest.raises(tessel.InputError):
        tessel.loads()
    with pytest.raises(tessel.InputError):
        tessel.map_layer()
    inputs = tessel.load()
    inputs.mapping = tessel.Mapping([])
    with pytest.raises(tessel.InputError) as info:
        tessel.evaluate(inputs)
    assert str(info.value).startswith("invalid mapping: the mapping has 0 levels")
    inputs.mapping = None
    with pytest.raises(tessel.InputError):
        tessel.evaluate(inputs)
    with pytest.raises(tessel.InputError):
        inputs.mapping_yaml()
    levels = tessel.load().mapping.levels
    levels[0].keep = []
    m = tessel.Mapping(levels)
    inputs = tessel.load()
    inputs.mapping = m
    with pytest.raises(tessel.InputError):
        tessel.evaluate(inputs)
    with pytest.raises(tessel.InputError):
        m.to_yaml(inputs.problem, inputs.arch)
    assert tessel.Problem.__init__  # no default-constructed empty Problem to misuse
    with pytest.raises(TypeError):
        tessel.Problem()


def test_bad_values_raise_value_error():
    arch = tessel.load().arch
    level = arch.level("GlobalBuffer")
    for name, value in [("instances", 0), ("block_size", 0), ("mesh_x", -1), ("word_bits", 0),
                        ("multiple_buffering", 0.0), ("read_bandwidth", -2.0),
                        ("size_words", -1), ("read_pJ", float("nan"))]:
        with pytest.raises(ValueError):
            setattr(level, name, value)
    with pytest.raises(KeyError):
        arch.level("NoSuchLevel")
    problem = tessel.load().problem
    with pytest.raises(ValueError):
        problem.set_bound("C", 0)
    with pytest.raises(KeyError):
        problem.set_bound("Z", 4)
    with pytest.raises(ValueError):
        tessel.Loop(-1, 2)
    with pytest.raises(ValueError):
        tessel.Loop(0, 2, "Z")
    with pytest.raises(ValueError):
        tessel.conv_problem(C=0)


def test_objects_after_their_inputs_changed():
    inputs = tessel.load()
    level = inputs.arch.level("GlobalBuffer")
    old_arch = inputs.arch
    inputs.arch = tessel.load().arch.copy()  # the view still holds the old arch alive
    level.size_words = 1
    assert old_arch.level("GlobalBuffer").size_words == 1
    assert inputs.arch.level("GlobalBuffer").size_words != 1
    tessel.evaluate(inputs)  # the new arch: fine

    # A problem whose dimensions no longer match the mapping: an error, not a crash.
    inputs = tessel.load()
    inputs.problem = tessel.conv_problem("tiny", C=2, M=2)
    with pytest.raises(tessel.InputError):
        tessel.evaluate(inputs)
    with pytest.raises(tessel.InputError):
        inputs.mapping.to_dict(inputs.problem, inputs.arch)
    with pytest.raises(tessel.InputError):
        inputs.mapping_yaml()
    inputs.to_dict  # still usable
    # Loops naming dimensions the problem does not have.
    inputs = tessel.load()
    levels = inputs.mapping.levels
    levels[0].temporal = [tessel.Loop(99, 2)]
    inputs.mapping.levels = levels
    with pytest.raises(tessel.InputError) as info:
        tessel.evaluate(inputs)
    assert "dimension #99" in str(info.value)
    with pytest.raises(tessel.InputError):
        inputs.mapping_yaml()
    # A mapping from one layer on another arch (other level count).
    other = tessel.load()
    small = tessel.Inputs(other.problem, other.arch, tessel.Mapping(levels[:2]))
    with pytest.raises(tessel.InputError):
        tessel.evaluate(small)
    # Constraints sized for another arch.
    from conftest import DATA
    ex06 = DATA / "timeloop" / "exercises" / "06-mapper-convlayer-eyeriss"
    constrained = tessel.load(ex06 / "arch" / "eyeriss_like.yaml",
                              ex06 / "prob" / "VGG02_layer5.yaml",
                              ex06 / "ref-output" / "timeloop-mapper.map.yaml")
    constrained.arch = tessel.load().arch
    with pytest.raises(tessel.InputError):
        tessel.evaluate(constrained)
    with pytest.raises(tessel.InputError):
        tessel.map_layer(constrained, mapper="random", samples=1)


def test_results_are_plain_data():
    result = tessel.evaluate()
    result["cycles"] = "changed"  # a dict the caller owns
    assert isinstance(tessel.evaluate()["cycles"], int)
