"""kg push against a real Oxigraph server (PyPI `oxigraph`): named graphs arrive, named queries agree.

The server is started on a free port by the `oxigraph_server` fixture (tests/sparql_servers.py)
and stopped at the end; nothing here is skipped. tests/test_remote_sparql.py runs the same
against Virtuoso too, through the CLI.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner
from sparql_servers import free_port as _free_port
from sparql_servers import oxigraph

from kg import queries
from kg.cli import cli
from kg.errors import KgError
from kg.model.terms import ONTOLOGY_IRI
from kg.workflows.push import RemoteSparql, push_store

NAMED = [
    (queries.members, ("红领宁商",), {}),
    (queries.members, ("绿色算力党建联盟",), {"status": "planned"}),
    (queries.memberships, ("青海大学",), {}),
    (queries.related, ("青海大学",), {"depth": 2}),
    (queries.path, ("青海大学", "金诃藏药"), {}),
    (queries.path, ("启迪众创空间", "产业园"), {"status": "active"}),
    (queries.chain, ("启迪众创空间",), {}),
    (queries.orgs, (), {"type_": "University"}),
    (queries.orgs, (), {"in_": "生物园区"}),
    (queries.show, ("金诃藏药",), {}),
]


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """A running `oxigraph serve` (union default graph, like the embedded store's queries): its base URL."""
    with oxigraph(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server.store.removesuffix("/store")


@pytest.fixture(scope="module")
def pushed(oxigraph_server, seed_store):
    r = CliRunner().invoke(
        cli,
        ["--store", str(seed_store), "push", "--sparql-endpoint", oxigraph_server + "/store"],
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.output
    return r.output


def _graph_sizes(base: str) -> dict[str, int]:
    remote = RemoteSparql(base + "/query", names=None)
    return {
        r["g"]: r["n"] for r in remote.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    }


def test_push_sends_one_named_graph_per_document_and_the_ontology(pushed, oxigraph_server, store):
    assert "pushed 2 graph(s)" in pushed and "triples/s" in pushed
    local = {
        r["g"]: r["n"] for r in store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    }
    assert set(local) == {"https://w3id.org/park-kg/id/doc/xnbio-2024-07a", ONTOLOGY_IRI}
    assert _graph_sizes(oxigraph_server) == local


def test_pushing_again_replaces_rather_than_duplicates(pushed, oxigraph_server, seed_store, store):
    before = _graph_sizes(oxigraph_server)
    report = push_store(seed_store, oxigraph_server + "/store")
    assert report.graphs == 2 and report.triples == sum(before.values())
    assert _graph_sizes(oxigraph_server) == before


@pytest.mark.parametrize("fn,args,kwargs", NAMED, ids=[f"{f.__name__}-{a}-{k}" for f, a, k in NAMED])
def test_pushed_dataset_answers_the_named_queries_like_the_store(pushed, oxigraph_server, store, fn, args, kwargs):
    remote = RemoteSparql(oxigraph_server + "/query", store.names)
    expected = fn(store, *args, **kwargs)
    assert not expected.empty
    assert fn(remote, *args, **kwargs).to_dict() == expected.to_dict()


def test_members_over_the_server_are_the_known_ones(pushed, oxigraph_server, store):
    remote = RemoteSparql(oxigraph_server + "/query", store.names)
    rows = queries.members(remote, "红领宁商").tables[0].rows
    assert {r["member_name"] for r in rows} == {
        "生物园区管委会",
        "西宁市生物园区商会",
        "青海大美中药科技有限公司",
        "青海塞奇食品有限公司",
    }
    assert all(r["quote"] and r["source"] == "000_12437ccd38f279d8.txt" for r in rows)


def test_prune_deletes_the_graphs_of_removed_documents_and_nothing_else(pushed, oxigraph_server, seed_store, store):
    """A document graph the store no longer has goes; another dataset's graph on the server stays."""
    stale, foreign = "https://w3id.org/park-kg/id/doc/removed-2023", "http://example.org/other-dataset"
    for g in (stale, foreign):
        body = f'<http://example.org/s> <http://example.org/p> "{g}" .\n'.encode()
        req = urllib.request.Request(
            f"{oxigraph_server}/store?graph={urllib.parse.quote(g, safe='')}",
            data=body,
            method="PUT",
            headers={"Content-Type": "application/n-triples"},
        )
        urllib.request.urlopen(req, timeout=10).read()
    before = _graph_sizes(oxigraph_server)
    assert stale in before and foreign in before
    r = CliRunner().invoke(
        cli,
        [
            "--store",
            str(seed_store),
            "push",
            "--sparql-endpoint",
            oxigraph_server + "/store",
            "--prune",
            oxigraph_server + "/query",
        ],
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.output
    assert f"removed 1 graph(s) of documents the store no longer has\n  {stale}" in r.output
    after = _graph_sizes(oxigraph_server)
    assert stale not in after and after[foreign] == 1
    assert {g: n for g, n in after.items() if g != foreign} == {
        g: n for g, n in before.items() if g not in (stale, foreign)
    }
    r = CliRunner().invoke(
        cli,
        [
            "--store",
            str(seed_store),
            "push",
            "--sparql-endpoint",
            oxigraph_server + "/store",
            "--prune",
            oxigraph_server + "/query",
        ],
        catch_exceptions=False,
    )
    assert "removed 0 graph(s)" in r.output  # nothing left to prune
    urllib.request.urlopen(
        urllib.request.Request(
            f"{oxigraph_server}/store?graph={urllib.parse.quote(foreign, safe='')}", method="DELETE"
        ),
        timeout=10,
    )


def test_unreachable_endpoint_is_one_line(seed_store):
    r = CliRunner().invoke(
        cli, ["--store", str(seed_store), "push", "--sparql-endpoint", f"http://127.0.0.1:{_free_port()}/store"]
    )
    assert r.exit_code == 1 and "cannot reach the SPARQL server" in r.output and "Traceback" not in r.output


def test_not_an_http_url_is_refused(seed_store):
    with pytest.raises(KgError, match="not an http"):
        push_store(seed_store, "ftp://example.org/store")


def test_server_error_is_reported_with_its_status(oxigraph_server, seed_store):
    with pytest.raises(KgError, match=r"HTTP 4\d\d"):
        push_store(seed_store, oxigraph_server + "/no-such-service")


def test_push_needs_an_endpoint():
    r = CliRunner().invoke(cli, ["push"], env={"KG_SPARQL_ENDPOINT": ""})
    assert r.exit_code == 2 and "--sparql-endpoint" in r.output


def test_push_reports_its_end_to_end_rate_beside_the_sending_rate(oxigraph_server, seed_store):
    """Issue 16.5: the rate of the whole call (store read, serialization, sending) and of the data requests alone."""
    r = CliRunner().invoke(
        cli,
        ["--store", str(seed_store), "push", "--sparql-endpoint", oxigraph_server + "/store", "--format", "json"],
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert 0 < report["sending_seconds"] <= report["seconds"]
    assert report["triples_per_second"] == pytest.approx(report["triples"] / report["seconds"], rel=0.01)
    assert report["sending_triples_per_second"] >= report["triples_per_second"]
