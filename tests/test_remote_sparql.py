"""The server matrix: kg push to Oxigraph server and Virtuoso, then every named query with
``--backend sparql`` gives exactly the embedded store's JSON; prune, credentials, a down server.

Both servers are real processes on free 127.0.0.1 ports (tests/sparql_servers.py), stopped
by pid at the end. Nothing is skipped: CI installs Virtuoso (scripts/system-deps.sh) and
the oxigraph wheel (dev extra).
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from sparql_servers import Server, free_port, isql, oxigraph, virtuoso

from kg.cli import cli
from kg.errors import KgError
from kg.stores.embedded import EmbeddedStore
from kg.stores.remote import RemoteSparql
from kg.workflows.push import push_store

pytestmark = pytest.mark.integration

SERVERS = {"oxigraph": oxigraph, "virtuoso": virtuoso}

# Every named query of the CLI (kg members … kg analyze compare), as a user types it.
COMMANDS = [
    ["members", "红领宁商"],
    ["members", "绿色算力党建联盟", "--status", "planned"],
    ["memberships", "青海大学"],
    ["related", "青海大学", "--depth", "2"],
    ["related", "金诃藏药", "--predicate", "locatedIn"],
    ["path", "青海大学", "金诃藏药"],
    ["path", "启迪众创空间", "产业园", "--status", "active"],
    ["path", "青海大学", "金诃藏药", "--all"],
    ["chain", "启迪众创空间"],
    ["orgs"],
    ["orgs", "--type", "University"],
    ["orgs", "--in", "生物园区"],
    ["show", "金诃藏药"],
    ["show", "生物园区"],
    ["members", "没有这个组织"],  # a name nobody carries: the same one-line error
    ["analyze", "centrality"],
    ["analyze", "centrality", "--measure", "betweenness", "--status", "active"],
    ["analyze", "communities"],
    ["analyze", "bridges", "青海大学", "金诃藏药"],
    ["analyze", "compare", "--org", "青海大学"],
]


@pytest.fixture(scope="module", params=list(SERVERS))
def server(request, tmp_path_factory):
    with SERVERS[request.param](tmp_path_factory.mktemp(request.param)) as s:
        yield s


def _kg(store: Path, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["--store", str(store), *args], env=env, catch_exceptions=False)


@pytest.fixture(scope="module")
def pushed(server: Server, seed_store) -> Server:
    r = _kg(seed_store, *server.push_args(), env=server.env())
    assert r.exit_code == 0, r.output
    assert "pushed 2 graph(s), 2,733 triples" in r.output
    return server


def _sizes(server: Server) -> dict[str, int]:
    remote = RemoteSparql(server.query, names=None)
    try:
        rows = remote.select(
            'SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), '
            '"https://w3id.org/park-kg/")) } GROUP BY ?g'
        )
    finally:
        remote.close()
    return {r["g"]: r["n"] for r in rows}


def _local_sizes(store_path: Path) -> dict[str, int]:
    store = EmbeddedStore(store_path)
    return {
        r["g"]: r["n"] for r in store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    }


def test_push_sends_every_graph_whole(pushed, seed_store):
    assert _sizes(pushed) == _local_sizes(seed_store)


def test_chunked_push_replaces_then_adds_and_stays_idempotent(pushed, seed_store):
    """First chunk PUT (replaces), later chunks POST (add): the server accepts both, and pushing twice changes
    nothing."""
    before = _sizes(pushed)
    for _ in range(2):
        steps = []
        r = push_store(
            seed_store, pushed.store, user=pushed.user, password=pushed.password, chunk=300, progress=steps.append
        )
        assert r.requests == 7  # 1,673 document triples in 6 chunks; the ontology (blank nodes) in one
        assert (
            steps[-1].done == steps[-1].total == 2733 and steps[-1].phase == "push" and len(steps) == 7
        )  # one step after each of the 7 requests (none before: a refused first request is one line alone)
        assert _sizes(pushed) == before


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_backend_sparql_answers_like_the_store(pushed, seed_store, args):
    """The CLI's JSON with --backend sparql is byte for byte the embedded store's."""
    expected = _kg(seed_store, *args, "--format", "json")
    got = _kg(seed_store, *args, "--format", "json", "--backend", "sparql", "--sparql-endpoint", pushed.query)
    assert (got.exit_code, got.output) == (expected.exit_code, expected.output)
    assert expected.exit_code == 0 or "没有这个组织" in args


@pytest.mark.parametrize("args", COMMANDS[:14], ids=[" ".join(a) for a in COMMANDS[:14]])
def test_names_resolved_by_the_server_without_a_local_store(pushed, seed_store, tmp_path, args):
    """No built store here: names come from the server's labels, and the answers are the same."""
    expected = _kg(seed_store, *args, "--format", "json")
    got = _kg(
        tmp_path / "nothing-built",
        *args,
        "--format",
        "json",
        "--backend",
        "sparql",
        env={"KG_SPARQL_QUERY": pushed.query},
    )
    assert (got.exit_code, got.output) == (expected.exit_code, expected.output)


def test_prune_removes_only_document_graphs(pushed, seed_store):
    stale, foreign = "https://w3id.org/park-kg/id/doc/removed-2023", "http://example.org/other-dataset"
    push_args = [*pushed.push_args(), "--prune", pushed.query]
    import httpx

    auth = httpx.DigestAuth(pushed.user, pushed.password) if pushed.user else None
    for g in (stale, foreign):
        body = f'<http://example.org/s> <http://example.org/p> "{g}" .\n'.encode()
        r = httpx.put(
            f"{pushed.store}?graph={urllib.parse.quote(g, safe='')}",
            content=body,
            auth=auth,
            headers={"Content-Type": "application/n-triples"},
        )
        assert r.status_code < 300, r.text
    assert stale in _sizes(pushed)
    r = _kg(seed_store, *push_args, env=pushed.env())
    assert r.exit_code == 0, r.output
    assert f"removed 1 graph(s) of documents the store no longer has\n  {stale}" in r.output
    assert _sizes(pushed) == _local_sizes(seed_store)
    remote = RemoteSparql(pushed.query, names=None)
    assert remote.select(f"SELECT ?o WHERE {{ GRAPH <{foreign}> {{ ?s ?p ?o }} }}") == [
        {"o": foreign}
    ]  # not ours: kept
    r = _kg(seed_store, *push_args, env=pushed.env())
    assert "removed 0 graph(s)" in r.output
    httpx.delete(f"{pushed.store}?graph={urllib.parse.quote(foreign, safe='')}", auth=auth)


def _one_line(r) -> str:
    assert r.exit_code == 1, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in r.output, r.output
    return lines[0]


virtuoso_only = pytest.mark.parametrize("server", ["virtuoso"], indirect=True)


@virtuoso_only
def test_digest_auth_against_virtuoso(pushed, seed_store):
    """Virtuoso's /sparql-graph-crud-auth wants Digest: --auth digest and auto get in, Basic does not."""
    for auth in ("digest", "auto"):
        r = _kg(seed_store, *pushed.push_args(), "--auth", auth, env=pushed.env())
        assert r.exit_code == 0, r.output
    line = _one_line(_kg(seed_store, *pushed.push_args(), "--auth", "basic", env=pushed.env()))
    assert "HTTP 401" in line and "--auth digest" in line
    line = _one_line(_kg(seed_store, "push", "--sparql-endpoint", pushed.store))
    assert "HTTP 401" in line and "the server wants a user" in line


@virtuoso_only
def test_wrong_credentials_are_one_line(pushed, seed_store):
    for auth in ("auto", "digest", "basic"):
        line = _one_line(
            _kg(
                seed_store,
                "push",
                "--sparql-endpoint",
                pushed.store,
                "--user",
                "dba",
                "--auth",
                auth,
                env={"KG_SPARQL_PASSWORD": "s3cret-guess"},
            )
        )
        assert "HTTP 401 Unauthorized" in line and "s3cret" not in line, line


@virtuoso_only
def test_anonymous_endpoint_without_a_grant_is_one_line(pushed, seed_store):
    line = _one_line(_kg(seed_store, "push", "--sparql-endpoint", pushed.store.replace("-auth", "")))
    assert "HTTP 403" in line and "Permission denied" in line, line


@virtuoso_only
def test_the_grants_in_the_howto_are_enough(pushed, seed_store):
    """docs/how-to/servers.md: a dedicated account with SPARQL_UPDATE pushes (Digest) and prunes; anonymous writes
    need a grant."""
    isql(pushed, "DB.DBA.USER_CREATE('kg_push', 'push-pw'); GRANT SPARQL_UPDATE TO \"kg_push\";")
    r = _kg(
        seed_store,
        "push",
        "--sparql-endpoint",
        pushed.store,
        "--user",
        "kg_push",
        "--prune",
        pushed.query,
        env={"KG_SPARQL_PASSWORD": "push-pw"},
    )
    assert r.exit_code == 0 and "removed 0 graph(s)" in r.output, r.output
    anonymous = ["push", "--sparql-endpoint", pushed.store.replace("-auth", "")]
    isql(pushed, 'GRANT SPARQL_UPDATE TO "SPARQL";')
    try:
        r = _kg(seed_store, *anonymous)
        assert r.exit_code == 0, r.output
    finally:
        isql(pushed, 'REVOKE SPARQL_UPDATE FROM "SPARQL";')
    assert "HTTP 403" in _one_line(_kg(seed_store, *anonymous))


@virtuoso_only
def test_an_answer_cut_by_the_server_is_an_error_not_a_short_answer(pushed):
    """Virtuoso stops at ResultSetMaxRows (10,000 in Debian's ini; 5,000 here) and says so only in a header."""
    remote = RemoteSparql(pushed.query, names=None)
    with pytest.raises(KgError, match=r"cut the answer at 5,000 rows.*ResultSetMaxRows"):
        remote.select("SELECT * WHERE { ?s ?p ?o }")
    assert len(remote.select("SELECT * WHERE { ?s ?p ?o } LIMIT 4999")) == 4999


def test_down_server_is_one_line(seed_store):
    url = f"http://127.0.0.1:{free_port()}"
    line = _one_line(_kg(seed_store, "push", "--sparql-endpoint", url + "/store"))
    assert "cannot reach the SPARQL server" in line
    line = _one_line(_kg(seed_store, "members", "红领宁商", "--backend", "sparql", "--sparql-endpoint", url + "/query"))
    assert "cannot reach the SPARQL server" in line


def test_a_server_that_never_answers_times_out_in_one_line(seed_store):
    import socket

    with socket.socket() as silent:  # accepts connections (the backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/store"
        line = _one_line(_kg(seed_store, "push", "--sparql-endpoint", url, "--timeout", "0.5"))
    assert "no answer within 0.5 s (--timeout)" in line


def test_backend_sparql_needs_an_endpoint(seed_store):
    line = _one_line(_kg(seed_store, "members", "红领宁商", "--backend", "sparql", env={"KG_SPARQL_QUERY": ""}))
    assert "--sparql-endpoint" in line


def test_synthetic_graph_pushed_in_chunks_answers_like_the_store(server, synth_store):
    """Runs last for each server (it prunes the seed's document away)."""
    store_path, probes = synth_store
    r = _kg(store_path, *server.push_args(), "--chunk", "2000", "--prune", server.query, env=server.env())
    assert r.exit_code == 0, r.output
    assert "removed 1 graph(s)" in r.output  # the seed's document: the server now holds the synthetic graph alone
    assert _sizes(server) == _local_sizes(store_path)
    for args in (
        ["members", probes["community"]],
        ["memberships", probes["company"]],
        ["chain", probes["chain"]],
        ["path", *probes["path"]],
        ["orgs", "--in", probes["park"]],
        ["show", probes["gov"]],
        ["analyze", "centrality"],
    ):
        expected = _kg(store_path, *args, "--format", "json")
        got = _kg(store_path, *args, "--format", "json", "--backend", "sparql", "--sparql-endpoint", server.query)
        assert expected.exit_code == 0 and (got.exit_code, got.output) == (expected.exit_code, expected.output), args


def test_edge_ends_are_the_ends_of_all_edges(seed_store, synth_store):
    """The path search on a server reads EDGE_ENDS; it must be the ends of ALL_EDGES and the build's edges.json."""
    from kg.queries import texts as q

    for path in (seed_store, synth_store[0]):
        st = EmbeddedStore(path)
        ends = {(r["s"], r["o"], r["status"]) for r in st.run(q.EDGE_ENDS)}
        assert ends == {(r["s"], r["o"], r["status"]) for r in st.run(q.ALL_EDGES)} == set(st.edge_ends(q.EDGE_ENDS))
        assert len(ends) > 50


@pytest.fixture(scope="module")
def synth_store(tmp_path_factory):
    """The small synthetic province (~11k triples, 5 documents), built without SHACL."""
    from kg.build import build

    out = tmp_path_factory.mktemp("synth")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "synth.py"), "--preset", "small", "-o", str(out)],
        check=True,
        capture_output=True,
    )
    build(out / "facts", out / "store", sources_dir=out / "sources", shacl=False)
    return out / "store", json.loads((out / "synth.json").read_text(encoding="utf-8"))["probes"]
