"""A design-space sweep from Python: 20 GlobalBuffer sizes in a loop, each checked against the
CLI on an arch file with that size written in, or against the capacity rule."""
import re

import pytest

import tessel
from conftest import EXAMPLES

DEFAULT = EXAMPLES / "default"


def arch_with_depth(tmp_path, depth):
    text = (DEFAULT / "arch.yaml").read_text()
    # GlobalBuffer's `depth: 2048` (its first depth line after the name).
    at = text.index("name: GlobalBuffer")
    head, tail = text[:at], text[at:]
    tail = re.sub(r"depth: \d+", f"depth: {depth}", tail, count=1)
    path = tmp_path / f"arch_{depth}.yaml"
    path.write_text(head + tail)
    return path


def test_sweep_of_20_buffer_sizes(cli, tmp_path):
    inputs = tessel.load()
    buffer = inputs.arch.level("GlobalBuffer")
    words_per_row = buffer.size_words // 2048  # depth 2048 rows in the file
    assert words_per_row * 2048 == buffer.size_words
    # 1600 .. 2550 rows: the default mapping's GlobalBuffer tiles need 58,496 words (1,828 rows)
    depths = [1600 + 50 * i for i in range(20)]
    results = {}
    for depth in depths:
        buffer.size_words = depth * words_per_row
        try:
            results[depth] = tessel.evaluate(inputs)
        except tessel.InputError as e:
            results[depth] = str(e)
    valid = [d for d in depths if isinstance(results[d], dict)]
    invalid = [d for d in depths if isinstance(results[d], str)]
    assert valid and invalid, results  # the sweep crosses the capacity the mapping needs
    assert max(invalid) < min(valid)    # smaller buffers fail, larger ones fit
    for d in invalid:
        assert "GlobalBuffer" in results[d] and "exceed its capacity" in results[d]
    # A bigger buffer holding the same tiles changes no access count or cycle.
    first = results[valid[0]]
    for d in valid:
        assert results[d]["cycles"] == first["cycles"]
        assert results[d]["levels"] == first["levels"]
    # Spot checks against the CLI on files with the depth written in.
    for d in (invalid[-1], valid[0], valid[-1]):
        ref = cli("eval", arch_with_depth(tmp_path, d), DEFAULT / "problem.yaml",
                  DEFAULT / "mapping.yaml", DEFAULT / "ERT.yaml")
        if isinstance(results[d], str):
            assert ref.code == 2 and ref.message == results[d]
        else:
            assert ref.code == 0, ref.err
            assert ref.json == results[d]
