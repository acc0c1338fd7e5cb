"""Analysts' Cypher at `kg cypher`, and names at `--backend bolt`, against a real FalkorDB.

Read mode refuses every write clause wherever it hides (after a `//` inside a string, in a
comment-looking string, in lower case over several lines), LOAD CSV and procedures that
fetch from the network (a local port records any attempt); parameters that crashed
FalkorDB's own Bolt port (4 KB) pass through the local Bolt server. The graph must hold the same nodes and
relationships after each input, and the server must still run. tests/test_bolt.py covers the plain write
clauses, a hostile --param value and a syntax error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from robustness.conftest import file_arg, graph_counts, no_crash, one_line_error

pytestmark = pytest.mark.integration

REFUSED = "run with --write to allow"


@dataclass(frozen=True)
class Cy:
    id: str
    args: Callable[[Path, str], tuple[str, ...]]  # (tmp_path, listener URL) -> arguments after `kg`
    code: int
    expect: str


def cy(text: str, *more: str):
    return lambda _tmp, url: ("cypher", text.replace("URL", url), *more)


CATALOGUE = [
    # writes where a naive check would not see them
    Cy(
        "set-after-a-url-in-a-string",
        cy("MATCH (n:Resource) WHERE n.iri <> 'http://x' SET n.pwned = 1 RETURN count(n)"),
        1,
        "contains SET",
    ),
    Cy(
        "delete-after-a-url-in-double-quotes",
        cy('MATCH (n) WHERE n.iri <> "https://w3id.org/" DETACH DELETE n'),
        1,
        "contains DELETE",
    ),
    Cy("set-after-a-comment-with-a-quote", cy("MATCH (n) /* don't */ SET n.x = 1 RETURN n"), 1, "contains SET"),
    Cy("lowercase-over-lines", cy("match (n)\nwith n\ndetach\n  delete n"), 1, "contains DELETE"),
    Cy("set-a-backticked-property", cy("MATCH (n:Resource) SET n.`name_zh` = 'x' RETURN n"), 1, "contains SET"),
    Cy("unwind-create", cy("UNWIND range(1, 3) AS i CREATE (:Junk {i: i})"), 1, "contains CREATE"),
    Cy(
        "foreach-create",
        cy("MATCH (n:Resource) WITH collect(n) AS ns FOREACH (x IN ns | CREATE (:Junk))"),
        1,
        "contains CREATE",
    ),
    Cy("optional-match-merge", cy("OPTIONAL MATCH (n:Nothing) MERGE (m:Junk) RETURN m"), 1, "contains MERGE"),
    Cy(
        "procedure-that-writes",
        cy("CALL db.idx.fulltext.createNodeIndex('Resource', 'name_zh')"),
        1,
        "CALL db.idx.fulltext.createnodeindex may write",
    ),
    Cy("procedure-that-administers", cy("CALL dbms.security.createUser('eve', 'pw', false)"), 1, "may write"),
    # the network
    Cy(
        "load-csv-from-a-url",
        cy("LOAD CSV FROM 'URL' AS row RETURN row"),
        1,
        "the query loads files or URLs (LOAD CSV, apoc.load…): network access",
    ),
    Cy("apoc-load-json", cy("CALL apoc.load.json('URL') YIELD value RETURN value"), 1, "network access"),
    # parameters
    Cy(
        "parameter-of-50KB-over-bolt",
        cy("RETURN size($v) AS n", "--param", "v=" + "a" * 50000, "--format", "csv"),
        0,
        "50000",
    ),
    Cy(
        "parameter-of-5KB-native",
        cy("RETURN size($v) AS n", "--param", "v=" + "a" * 5000, "--transport", "native", "--format", "csv"),
        0,
        "5000",
    ),
    Cy("parameter-not-k-v", cy("RETURN $v AS v", "--param", "novalue"), 2, "'novalue' is not k=v"),
    Cy(
        "parameter-with-quotes-and-braces",
        cy("RETURN $v AS v", "--param", "v='}) MATCH (m) DETACH DELETE m //", "--format", "csv"),
        0,
        "'}) MATCH (m) DETACH DELETE m //",
    ),
    # malformed
    Cy("empty-query", cy(""), 2, "the query is empty"),
    Cy("blank-query", cy(" \n "), 2, "the query is empty"),
    Cy("unterminated-string", cy("RETURN 'abc"), 1, "Cypher error:"),
    Cy(
        "file-not-utf8",
        lambda tmp, url: ("cypher", *file_arg("q.cyp", b"RETURN '\xff\xfe' AS x")(tmp, url)),
        1,
        "q.cyp is not UTF-8",
    ),
    Cy("100KB-of-comment", cy("// " + "x" * 100_000 + "\nRETURN 1 AS one", "--format", "csv"), 0, "one\n1"),
    # names through the Bolt backend: resolved in Python, only IRIs reach Cypher
    Cy(
        "name-with-cypher-injection",
        lambda _t, _u: ("members", "红领宁商' OR 1=1 WITH 1 AS x MATCH (m) DETACH DELETE m //", "--backend", "bolt"),
        1,
        "no entity named",
    ),
    Cy(
        "name-with-backslashes",
        lambda _t, _u: ("memberships", "红领宁商\\'\\\\", "--backend", "bolt"),
        1,
        "no entity named",
    ),
    Cy(
        "name-with-invisible-marks",
        lambda _t, _u: ("members", "\u202e红领\u200b宁商", "--backend", "bolt"),
        0,
        "青海塞奇食品有限公司",
    ),
]


@pytest.fixture
def bolt_env(falkordb, guarded_store):
    return {
        "NEO4J_URI": falkordb.bolt_uri,
        "KG_GRAPHDB_DIR": falkordb.data_dir,
        "KG_STORE": str(guarded_store),
        "NEO4J_USER": None,
        "NEO4J_PASSWORD": None,
        "KG_TRANSPORT": None,
    }


@pytest.mark.parametrize("case", CATALOGUE, ids=[c.id for c in CATALOGUE])
def test_bad_cypher(case: Cy, falkordb, bolt_env, listener, tmp_path):
    from kg.graphdb import GraphDb

    before = graph_counts(falkordb)
    r = CliRunner().invoke(cli, list(case.args(tmp_path, listener.url)), env=bolt_env, catch_exceptions=False)
    assert r.exit_code == case.code, r.output[:2000]
    assert case.expect in r.output, r.output[:2000]
    if case.code == 1:
        one_line_error(r.stderr)
    no_crash(r.output)
    assert listener.hits == 0
    assert GraphDb(falkordb.data_dir).state() is not None, "the server died"
    assert graph_counts(falkordb) == before


def test_hostile_labels_loaded_over_bolt_come_back_exactly(falkordb, guarded_store, tmp_path_factory):
    """Markup, quotes and backslashes in names travel as parameters through the local Bolt server and return
    unchanged."""
    from test_views import HOSTILE, HOSTILE_EN, build_hostile

    from kg.stores.bolt import BoltConfig, BoltStore, load
    from kg.stores.embedded import EmbeddedStore

    hostile = build_hostile(tmp_path_factory.mktemp("hostile-bolt"))
    bolt = BoltConfig(uri=falkordb.bolt_uri, engine="falkordb", transport="bolt", native_port=falkordb.port)
    native = BoltConfig(uri=falkordb.bolt_uri, engine="falkordb", transport="native", native_port=falkordb.port)
    try:
        load(EmbeddedStore(hostile).data_quads(), bolt, wipe=True)
        store = BoltStore(
            BoltConfig(uri=falkordb.bolt_uri, engine="falkordb", transport="bolt", native_port=falkordb.port)
        )
        try:
            rows = store.cypher(
                "MATCH (n:Resource {iri: $iri}) RETURN n.name_zh AS zh, n.name_en AS en",
                {"iri": "https://w3id.org/park-kg/id/company/xss"},
            )
            assert rows == [{"zh": HOSTILE, "en": HOSTILE_EN}]
            assert store.names.resolve(HOSTILE).id == "company/xss"
        finally:
            store.close()
    finally:  # the seed graph back, for the other tests
        load(EmbeddedStore(guarded_store).data_quads(), native, wipe=True)


def test_the_catalogue_has_one_test_per_input():
    assert len({c.id for c in CATALOGUE}) == len(CATALOGUE) >= 20
