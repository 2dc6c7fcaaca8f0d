"""Errors: InputError (a ValueError) with the CLI's message, word for word, and its location."""
import pytest

import tessel
from conftest import EXAMPLES

DEFAULT = EXAMPLES / "default"


def expect_same_error(cli, *files):
    ref = cli("eval", *files)
    assert ref.code == 2, ref.err
    with pytest.raises(tessel.InputError) as info:
        tessel.evaluate(*files)
    assert str(info.value) == ref.message
    return info.value


def test_input_error_is_a_value_error():
    assert issubclass(tessel.InputError, ValueError)


def test_missing_file(cli, tmp_path):
    e = expect_same_error(cli, tmp_path / "missing.yaml")
    assert str(e) == f"{tmp_path / 'missing.yaml'}: no such file"
    assert e.file == str(tmp_path / "missing.yaml")
    assert e.line is None and e.column is None


def test_malformed_yaml_has_file_line_column(cli, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("mapping: [unclosed\n")
    e = expect_same_error(cli, bad)
    assert e.file == str(bad)
    assert isinstance(e.line, int) and e.line >= 1
    assert isinstance(e.column, int) and e.column >= 1
    assert str(e).startswith(f"{bad}:{e.line}:{e.column}: ")


def test_no_mapping(cli):
    e = expect_same_error(cli, DEFAULT / "arch.yaml", DEFAULT / "problem.yaml")
    assert str(e) == "no mapping: none of the given files has a `mapping:` key"
    assert e.file is None


def test_invalid_mapping(cli, tmp_path):
    # The default mapping with DRAM's P=8 made P=4: the P factors no longer multiply to 56.
    text = (DEFAULT / "mapping.yaml").read_text()
    assert "P=8" in text
    bad = tmp_path / "mapping.yaml"
    bad.write_text(text.replace("P=8", "P=4", 1))
    e = expect_same_error(cli, DEFAULT / "arch.yaml", DEFAULT / "problem.yaml", bad,
                          DEFAULT / "ERT.yaml")
    assert str(e) == ("invalid mapping: the factors of dimension P multiply to 28 over all "
                      "levels, but its bound is 56")


def test_unknown_key_located(cli, tmp_path):
    text = (DEFAULT / "problem.yaml").read_text()
    bad = tmp_path / "problem.yaml"
    assert "    C: 64\n" in text
    bad.write_text(text.replace("    C: 64\n", "    C: -64\n"))
    e = expect_same_error(cli, DEFAULT / "arch.yaml", bad, DEFAULT / "mapping.yaml")
    line = text[:text.index("    C: 64\n")].count("\n") + 1
    assert e.file == str(bad) and e.line == line and e.column is not None


def test_bad_mapper_name_is_an_input_error(cli):
    with pytest.raises(tessel.InputError) as info:
        tessel.map_layer(tessel.load(), mapper="nope")
    ref = cli("map", *tessel.default_files(), "--mapper", "nope")
    assert ref.code == 2
    assert str(info.value) == ref.message


def test_bad_schedule_search_matches_cli(cli):
    with pytest.raises(tessel.InputError) as info:
        tessel.schedule(search="annealing")
    ref = cli("schedule", "--search", "annealing")
    assert ref.code == 2
    assert str(info.value) == ref.message
