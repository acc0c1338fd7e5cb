"""Queries that try to take all the memory.

Each query worker runs with a memory limit (``--max-memory``): a query of under 1 KB that
doubles a string 24 times is stopped with 503 "the query used more than N MB", not after
taking gigabytes, and the next query is answered.
"""

from __future__ import annotations

import json
import time

import pytest

from test_server import MEMBERS, http, running_server

from robustness.conftest import CRASH_MARKERS, HONGLING_NAMED, one_line_error, run_kg

pytestmark = pytest.mark.integration


def balloon(doublings: int = 24) -> str:
    """A query of under 1 KB that asks for a string of 64 × 2^doublings characters (1 GiB for 24)."""
    binds = "".join(f"BIND(CONCAT(?s{i},?s{i}) AS ?s{i + 1})" for i in range(doublings))
    return f'SELECT (STRLEN(?s{doublings}) AS ?n) {{ BIND("{"x" * 64}" AS ?s0) {binds} }}'


def _members(url: str, **headers: str) -> set[str]:
    status, _, body = http(url, params={"query": MEMBERS}, headers={"Accept": "application/sparql-results+json", **headers})
    assert status == 200, body
    return {b["m"]["value"] for b in json.loads(body)["results"]["bindings"]}


# ---------------------------------------------------------------------------- memory


def test_a_ballooning_query_is_stopped_at_the_memory_limit_and_the_next_one_answered(guarded_store, tmp_path):
    log = tmp_path / "serve.log"
    with running_server(guarded_store, log, "--max-memory", "300", "--timeout", "60") as url:
        assert len(balloon().encode()) < 1200
        t0 = time.monotonic()
        status, _, body = http(url, params={"query": balloon()})
        assert status == 503, body
        assert body.strip() == "the query used more than 300 MB of memory and was stopped; narrow it, or raise --max-memory"
        assert time.monotonic() - t0 < 30
        assert _members(url) == HONGLING_NAMED  # a new worker answers
        status, _, body = http(url, params={"query": balloon(4)})  # the same query, small: fine
        assert status == 200 and '"1024"' in body
        health = json.loads(http(url.replace("/sparql", "/health"))[2])
        assert health["max_memory_mb"] == 300
    text = log.read_text(encoding="utf-8")
    assert not any(m in text for m in (*CRASH_MARKERS, "memory allocation of", "stack backtrace")), text[-3000:]
    assert '"GET /sparql" 503' in text and "more than 300 MB" in text


def test_the_default_limit_is_1024_mb(guarded_store):
    from kg import sparql as sp
    from kg.server import ServerConfig

    assert sp.DEFAULT_MAX_MEMORY == 1024 and ServerConfig(guarded_store).max_memory == 1024
    assert sp.QueryRunner(guarded_store).max_memory == 1024


@pytest.mark.parametrize("method", ["fork", "exec"])
def test_the_runner_limits_each_worker(guarded_store, method, monkeypatch):
    from kg import sparql as sp

    monkeypatch.setattr(sp, "START_METHOD", method)
    with sp.QueryRunner(guarded_store, max_memory=300, timeout=60) as runner:
        with pytest.raises(sp.MemoryLimit, match="the query used more than 300 MB of memory"):
            runner.run(sp.Request(balloon(), "json"))
        assert runner.run(sp.Request("ASK { ?s ?p ?o }", "json")).boolean is True


def test_kg_sparql_has_the_limit_too(guarded_store):
    p = run_kg("sparql", balloon(), "--max-memory", "300", store=guarded_store)
    assert p.returncode == 1
    assert one_line_error(p.stderr.decode()) == "Error: the query used more than 300 MB of memory and was stopped; narrow it, or raise --max-memory"


def test_a_limit_too_small_to_start_a_worker_says_so(guarded_store):
    p = run_kg("sparql", "ASK { ?s ?p ?o }", "--max-memory", "20", store=guarded_store)
    assert p.returncode == 1
    line = one_line_error(p.stderr.decode())
    assert "the query worker needs more than 20 MB" in line and "--max-memory" in line
