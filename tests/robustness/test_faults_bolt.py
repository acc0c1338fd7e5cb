"""The graph database going away in the middle of `kg neo4j load`, and the load killed half-way.

A synthetic graph of 4,000 organizations (about 40,000 nodes and relationships) takes a few
seconds to load, long enough to kill FalkorDB (SIGKILL) or the `kg` process while it runs.
The load must stop with one clear line, and running it again must complete the graph to
exactly what a clean load gives, however much the first attempt wrote: it MERGEs on IRIs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from robustness.conftest import graph_counts, no_crash

pytestmark = pytest.mark.integration

DOCS, PER_DOC = 40, 100


def synthetic_seeds(root: Path, docs: int = DOCS, per_doc: int = PER_DOC) -> Path:
    """``docs`` reports, each naming an alliance and ``per_doc`` companies that joined it; the facts dir."""
    (root / "facts").mkdir(parents=True)
    (root / "sources").mkdir()
    for i in range(docs):
        stem = f"synthetic-{i:04d}"
        names = [f"合成{i:04d}号园区第{j:04d}企业有限公司" for j in range(per_doc)]
        alliance = f"合成{i:04d}号产业联盟"
        (root / "sources" / f"{stem}.txt").write_text(
            f"{alliance}成立。" + "、".join(names) + f"加入{alliance}。\n", encoding="utf-8"
        )
        (root / "sources" / f"{stem}.meta.yaml").write_text(f"id: {stem}\ntitle: 合成报告{i}\n", encoding="utf-8")
        lines = [
            f"source: {stem}",
            "entities:",
            f"  - id: alliance/s{i}",
            "    type: Alliance",
            f"    name: {alliance}",
            f"    quote: {alliance}成立",
        ]
        for j, n in enumerate(names):
            lines += [f"  - id: company/s{i}-{j}", "    type: Company", f"    name: {n}", f"    quote: {n}"]
        lines.append("memberships:")
        for j, n in enumerate(names):
            lines += [
                f"  - member: company/s{i}-{j}",
                f"    organization: alliance/s{i}",
                "    status: active",
                f"    quote: {n}",
            ]
        (root / "facts" / f"{stem}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root / "facts"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """(store, expected (nodes, relationships) of a whole load)."""
    from kg.build import build
    from kg.pg import to_property_graph
    from kg.stores.embedded import EmbeddedStore

    root = tmp_path_factory.mktemp("synthetic")
    build(synthetic_seeds(root / "seeds"), root / "store", shacl=False)
    pg = to_property_graph(EmbeddedStore(root / "store").data_quads(), one_direction=True)
    return root / "store", (len(pg.nodes), len(pg.rels))  # no bookkeeping nodes: MATCH (n) is the data


@pytest.fixture
def server(tmp_path):
    """A FalkorDB of its own (this test kills it): (GraphDb, state)."""
    from kg.graphdb import GraphDb, free_port

    db = GraphDb(tmp_path / "graphdb")
    st = db.start(port=free_port(), bolt_port=free_port())
    yield db, st
    if db.state() is not None:
        db.stop()


def _load(store: Path, st, *args: str) -> subprocess.Popen:
    env = {**os.environ, "NEO4J_URI": st.bolt_uri, "KG_GRAPHDB_DIR": st.data_dir}
    for k in ("NEO4J_USER", "NEO4J_PASSWORD", "KG_TRANSPORT"):
        env.pop(k, None)
    return subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "--store", str(store), "neo4j", "load", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _wait_for_some_rows(st, proc: subprocess.Popen, at_least: int = 2000) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the load ended before it could be interrupted"
        try:
            nodes, rels = graph_counts(st)
        except Exception:  # noqa: BLE001 - the graph does not exist before the first batch
            nodes = rels = 0
        if nodes + rels >= at_least:
            return nodes + rels
        time.sleep(0.05)
    raise AssertionError("the load wrote nothing for 120 s")


def _complete_twice(store: Path, st, expected: tuple[int, int]) -> None:
    """Run the load again: it completes the graph; once more: nothing changes."""
    for _ in range(2):
        p = _load(store, st)
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
        assert b"loaded" in out
        assert graph_counts(st) == expected


@pytest.mark.parametrize("transport", ["native", "bolt"])
def test_server_killed_mid_load_gives_one_line_and_a_rerun_completes(synthetic, server, transport):
    store, expected = synthetic
    db, st = server
    p = _load(store, st, "--transport", transport)
    _wait_for_some_rows(st, p, 2000 if transport == "native" else 300)
    os.kill(st.pid, signal.SIGKILL)
    _, err = p.communicate(timeout=120)
    err = err.decode()
    no_crash(err)
    assert p.returncode == 1
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"Error: cannot reach the graph database at {st.bolt_uri}"), err[-1000:]
    assert "kg graphdb start" in last
    st = db.start(port=st.port, bolt_port=st.bolt_port)  # back on the same ports and data directory
    _complete_twice(store, st, expected)


def test_load_killed_half_way_is_completed_by_running_it_again(synthetic, server):
    store, expected = synthetic
    _, st = server
    p = _load(store, st)
    _wait_for_some_rows(st, p, 5000)
    p.send_signal(signal.SIGKILL)
    p.wait()
    partial = graph_counts(st)
    assert 0 < sum(partial) < sum(expected)  # really half-way
    _complete_twice(store, st, expected)
