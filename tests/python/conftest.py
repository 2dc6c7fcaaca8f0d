"""Shared helpers for the Python module's tests: the built `tessel` binary, run on the same
inputs, is the reference (ctest passes its path in TESSEL_BINARY and the module's directory in
PYTHONPATH; see src/python/CMakeLists.txt)."""
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
DATA = ROOT / "tests" / "data"


class CliRun:
    def __init__(self, code, out, err, json_value):
        self.code, self.out, self.err, self.json = code, out, err, json_value

    @property
    def message(self):
        """The error message without the CLI's `tessel: error: ` prefix and final newline."""
        prefix = "tessel: error: "
        assert self.err.startswith(prefix), self.err
        return self.err[len(prefix):].rstrip("\n")


@pytest.fixture(scope="session")
def tessel_binary():
    path = os.environ.get("TESSEL_BINARY")
    if not path:
        pytest.skip("TESSEL_BINARY is not set (run through ctest)")
    return path


@pytest.fixture
def cli(tessel_binary, tmp_path):
    """cli("eval", file, ...) runs the binary with --json into tmp_path; returns a CliRun."""
    def run(*args, json_flag=True, cwd=None):
        out_json = tmp_path / "cli_out.json"
        if out_json.exists():
            out_json.unlink()
        cmd = [tessel_binary, *map(str, args)]
        if json_flag:
            cmd += ["--json", str(out_json)]
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd or tmp_path, timeout=600)
        value = json.loads(out_json.read_text()) if out_json.exists() else None
        return CliRun(p.returncode, p.stdout, p.stderr, value)
    return run
