"""`kg graphdb start` with a port that is no port number: one line, never "internal error" (issue 13, item 12)."""

from __future__ import annotations

import pytest

from robustness.conftest import one_line_error, run_kg


@pytest.mark.parametrize(
    "args",
    [["--port", "-1"], ["--port", "0"], ["--port", "70000"], ["--bolt-port", "-1"], ["--bolt-port", "70000"]],
    ids=["port-negative", "port-zero", "port-too-high", "bolt-negative", "bolt-too-high"],
)
def test_graphdb_start_with_a_port_out_of_range_is_one_line(tmp_path, args):
    r = run_kg("graphdb", "start", "--dir", str(tmp_path / "g"), *args, timeout=60)
    assert r.returncode == 1
    line = one_line_error(r.stderr.decode())
    assert "port" in line and "between 1 and" in line
    assert not (tmp_path / "g").exists()
