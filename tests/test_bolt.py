"""The Bolt backend against a real FalkorDB server: parity with SPARQL, round trip, errors.

The server is started by the `graphdb` fixture on free ports (kg graphdb start) and
stopped at the end; nothing here is skipped.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import ROOT

from kg import queries
from kg.cli import cli
from kg.errors import KgError
from kg.graphdb import GraphDb
from kg.graphdb import free_port as _free_port
from kg.stores.bolt import BoltConfig, BoltStore, check_read_only, export_triples, load

TRANSPORTS = ("bolt", "native")


@pytest.fixture(scope="session")
def graphdb(tmp_path_factory, seed_store):
    """A running local FalkorDB holding the seed graph."""
    from kg.stores.embedded import EmbeddedStore

    db = GraphDb(tmp_path_factory.mktemp("graphdb"))
    st = db.start(port=_free_port(), bolt_port=_free_port())
    try:
        load(EmbeddedStore(seed_store).data_quads(), _cfg(st, "native"), wipe=True)
        yield st
    finally:
        db.stop()


def _cfg(st, transport: str = "bolt") -> BoltConfig:
    return BoltConfig(uri=st.bolt_uri, engine="falkordb", transport=transport, native_port=st.port)


@pytest.fixture(params=TRANSPORTS)
def bolt(request, graphdb):
    store = BoltStore(_cfg(graphdb, request.param))
    yield store
    store.close()


@pytest.fixture
def env(graphdb):
    return {"KG_GRAPHDB_DIR": graphdb.data_dir, "NEO4J_URI": graphdb.bolt_uri}


NAMED = [
    (queries.members, ("红领宁商",), {}),
    (queries.members, ("绿色算力党建联盟",), {"status": "planned"}),
    (queries.memberships, ("青海大学",), {}),
    (queries.memberships, ("生物园区管委会",), {}),
    (queries.related, ("红领宁商",), {}),
    (queries.related, ("青海大学",), {"depth": 2}),
    (queries.related, ("金诃藏药",), {"predicates": ("certifiedAs",)}),
    (queries.path, ("青海大学", "金诃藏药"), {}),
    (queries.path, ("启迪众创空间", "产业园"), {"status": "active"}),
    (queries.chain, ("启迪众创空间",), {}),
    (queries.chain, ("孵化链",), {}),
    (queries.orgs, (), {}),
    (queries.orgs, (), {"type_": "University"}),
    (queries.orgs, (), {"in_": "生物园区"}),
    (queries.show, ("金诃藏药",), {}),
    (queries.show, ("生物园区",), {}),
]


@pytest.mark.parametrize("fn,args,kwargs", NAMED, ids=[f"{f.__name__}-{a}-{k}" for f, a, k in NAMED])
def test_named_query_parity_with_sparql(store, bolt, fn, args, kwargs):
    expected = fn(store, *args, **kwargs).to_dict()
    got = fn(bolt, *args, **kwargs).to_dict()
    assert got == expected
    assert not fn(store, *args, **kwargs).empty


def test_answers_over_bolt_are_the_known_ones(bolt):
    members = queries.members(bolt, "红领宁商").tables[0].rows
    assert {m["member_name"] for m in members} == {
        "生物园区管委会",
        "西宁市生物园区商会",
        "青海大美中药科技有限公司",
        "青海塞奇食品有限公司",
    }
    assert [m["status"] for m in queries.memberships(bolt, "青海大学").tables[0].rows] == ["planned"]


def test_round_trip_is_isomorphic(store, graphdb):
    import pyoxigraph as ox
    from rdflib import Graph
    from rdflib.compare import isomorphic

    original = store.data_quads()
    back = export_triples(_cfg(graphdb, "bolt"))

    def as_graph(triples) -> Graph:
        nt = ox.serialize((ox.Triple(t.subject, t.predicate, t.object) for t in triples), format=ox.RdfFormat.N_TRIPLES)
        return Graph().parse(data=nt.decode("utf-8"), format="nt")

    g1, g2 = as_graph(original), as_graph(back)
    assert len(g1) == len(g2) > 1000
    assert isomorphic(g1, g2)
    # what has to survive: language tags, repeated values, memberships with status and evidence
    lit = {(str(s), str(o), o.language) for s, p, o in g2 if str(p).endswith("#metric")}
    assert any(lang == "en" for *_, lang in lit) and any(lang == "zh" for *_, lang in lit)


def test_loading_twice_is_idempotent(store, graphdb):
    def counts():
        t = BoltStore(_cfg(graphdb, "native"))
        try:
            return (
                t.cypher("MATCH (n) RETURN count(n) AS c", {})[0]["c"],
                t.cypher("MATCH ()-[r]->() RETURN count(r) AS c", {})[0]["c"],
            )
        finally:
            t.close()

    before = counts()
    report = load(store.data_quads(), _cfg(graphdb, "bolt"))
    assert counts() == before == (report.nodes, report.relationships)  # no bookkeeping nodes in MATCH (n)


def test_a_load_that_fails_while_reading_deletes_nothing(store, graphdb):
    """The indexes are made while the store is read, but the wipe waits until the reading succeeded."""

    def counts():
        t = BoltStore(_cfg(graphdb, "native"))
        try:
            return t.cypher("MATCH (n) RETURN count(n) AS c", {})[0]["c"], len(t.cypher("CALL db.indexes()", {}))
        finally:
            t.close()

    def quads_then_damage():
        yield from store.data_quads()[:100]
        raise KgError("the store is damaged (test)")

    before = counts()
    with pytest.raises(KgError, match="damaged"):
        load(quads_then_damage(), _cfg(graphdb, "native"), wipe=True)
    assert counts() == before and before[0] > 200


def test_cli_load_and_cypher_through_the_local_default(env, seed_store):
    r = CliRunner().invoke(cli, ["--store", str(seed_store), "neo4j", "load"], env=env)
    assert r.exit_code == 0, r.output
    assert "nodes" in r.output and "rows/s" in r.output
    r = CliRunner().invoke(
        cli,
        [
            "cypher",
            "MATCH (o)-[:MEMBER_OF]->(c) RETURN o.name_zh AS member, c.name_zh AS community",
            "--format",
            "json",
        ],
        env=env,
    )
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)["rows"]
    assert {row["community"] for row in rows} == {"红领宁商党建共同体"} and len(rows) == 4


def test_backend_option_on_query_commands(env, seed_store):
    for backend in ("store", "bolt"):
        r = CliRunner().invoke(
            cli,
            [
                "--store",
                str(seed_store),
                "members",
                "绿色算力党建联盟",
                "--status",
                "planned",
                "--backend",
                backend,
                "--format",
                "json",
            ],
            env=env,
        )
        assert r.exit_code == 0, r.output
        assert "青海大学" in {m["member_name"] for m in json.loads(r.stdout)["members"]}


@pytest.mark.parametrize(
    "args",
    [
        ("members", "红领宁商"),
        ("memberships", "青海大学"),
        ("path", "青海大学", "金诃藏药"),
        ("related", "红领宁商"),
        ("chain", "孵化链"),
    ],
)
def test_query_commands_give_the_same_json_over_bolt(env, seed_store, args):
    out = {}
    for backend in ("store", "bolt"):
        r = CliRunner().invoke(
            cli, ["--store", str(seed_store), *args, "--backend", backend, "--format", "json"], env=env
        )
        assert r.exit_code == 0, r.output
        out[backend] = json.loads(r.stdout)
    assert out["bolt"] == out["store"]


@pytest.mark.parametrize(
    "query",
    [
        "CREATE (n:X)",
        "MATCH (n) SET n.x = 1",
        "MATCH (n) DETACH DELETE n",
        "MERGE (n:X {a: 1})",
        "MATCH (n) REMOVE n.iri",
        "CALL db.idx.fulltext.drop('x')",
        "MATCH (n) CALL { WITH n DELETE n }",
    ],
)
def test_write_queries_are_refused_in_read_mode(env, query):
    r = CliRunner().invoke(cli, ["cypher", query], env=env)
    assert r.exit_code == 1
    assert "refused" in r.output and "--write" in r.output


def test_read_queries_pass_the_check():
    check_read_only("MATCH (n) WHERE n.name_zh = 'CREATE' RETURN n // SET in a comment")
    check_read_only("CALL db.labels()")
    with pytest.raises(KgError):
        check_read_only("match (n) set n.x = 1")


def test_injection_through_a_parameter_stays_a_value(env, bolt):
    hostile = "x') MATCH (m) DETACH DELETE m RETURN 1 //'\\"
    r = CliRunner().invoke(
        cli,
        ["cypher", "MATCH (n:Resource) WHERE n.name_zh = $n RETURN n.iri AS iri", "--param", f"n={hostile}"],
        env=env,
    )
    assert r.exit_code == 1  # no such name: no rows, nothing deleted
    assert bolt.cypher("MATCH (n:Resource) RETURN count(n) AS c", {})[0]["c"] > 200
    assert bolt.cypher("RETURN $v AS v", {"v": hostile})[0]["v"] == hostile


def test_cypher_syntax_error_is_one_line_with_the_position(env):
    r = CliRunner().invoke(cli, ["cypher", "MATCH (n RETURN n"], env=env)
    assert r.exit_code == 1
    assert "Cypher error" in r.output and "line: 1, column: 10" in r.output and "Traceback" not in r.output


def test_server_down_is_one_readable_line(tmp_path):
    env = {"NEO4J_URI": f"bolt://127.0.0.1:{_free_port()}", "KG_GRAPHDB_DIR": str(tmp_path)}
    r = CliRunner().invoke(cli, ["members", "红领宁商", "--backend", "bolt"], env=env)
    assert r.exit_code == 1
    assert r.output.strip().count("\n") == 0
    assert "cannot reach the graph database" in r.output and "kg graphdb start" in r.output


# A wrong password: tests/test_bolt_server.py (the local server checks one only when started with --password).


def test_falkordb_bolt_batches_stay_under_the_message_cap():
    from kg.stores.bolt import ENGINES
    from kg.stores.bolt.load import batches as _batches

    rows = [{"iri": f"https://w3id.org/park-kg/id/x/{i}", "props": {"quote_zh": "青海" * 40}} for i in range(200)]
    eng = ENGINES["falkordb"]
    for b in _batches(rows, eng.node_rows, eng.max_bytes):
        assert len(json.dumps(b, ensure_ascii=False).encode()) <= eng.max_bytes
    assert [len(b) for b in _batches(rows, ENGINES["neo4j"].node_rows, ENGINES["neo4j"].max_bytes)] == [200]


def test_graphdb_port_taken_gives_a_clear_message(tmp_path):
    with socket.socket() as s:
        port = _free_port()
        s.bind(("127.0.0.1", port))
        s.listen()
        with pytest.raises(KgError, match=f"port {port} on 127.0.0.1 is already in use"):
            GraphDb(tmp_path).start(port=_free_port(), bolt_port=port)
    with pytest.raises(KgError, match="between 1 and 65535"):
        GraphDb(tmp_path).start(port=_free_port(), bolt_port=70000)


def test_real_subprocesses_for_graphdb_neo4j_and_cypher(env, seed_store):
    e = {**os.environ, **env, "KG_STORE": str(seed_store)}

    def run(*a):
        return subprocess.run([sys.executable, "-m", "kg.cli", *a], capture_output=True, env=e, cwd=ROOT, timeout=120)

    p = run("graphdb", "status")
    assert p.returncode == 0 and b"running" in p.stdout
    p = run("neo4j", "load")
    assert p.returncode == 0, p.stderr.decode()
    p = run(
        "cypher",
        "MATCH (c:Alliance)<-[:PLANNED_MEMBER_OF]-(u:University) RETURN u.name_zh AS u ORDER BY u",
        "--format",
        "csv",
    )
    assert p.returncode == 0, p.stderr.decode()
    assert p.stdout.decode().split() == ["u", "西宁城市职业技术学院", "青海大学", "青海理工学院"]
    p = run("neo4j", "export", "--format", "nt")
    assert p.returncode == 0 and p.stdout.count(b"\n") > 1000


CYPHER_LIBRARY = {
    "members-of-community.cyp": lambda rows: (
        {(r["member"], r["status"]) for r in rows}
        == {
            ("生物园区管委会", "active"),
            ("西宁市生物园区商会", "active"),
            ("青海大美中药科技有限公司", "active"),
            ("青海塞奇食品有限公司", "active"),
        }
    ),
    "orgs-in-two-communities.cyp": lambda rows: (
        [(r["organization"], {r["first_status"], r["second_status"]}) for r in rows]
        == [("生物园区管委会", {"active", "planned"})]
    ),
    "universities-in-alliances.cyp": lambda rows: (
        {r["university"] for r in rows} == {"青海大学", "青海理工学院", "西宁城市职业技术学院"}
        and {r["status"] for r in rows} == {"planned"}
    ),
    "incubation-chain.cyp": lambda rows: (
        [r["stage"] for r in rows]
        == ["启迪众创空间", "生科孵化器", "食保区加速器", "青年创业园", "青海大学科技园", "产业园"]
        and rows[0]["kind"] == "MakerSpace"
    ),
    "certifications.cyp": lambda rows: (
        {(r["organization"], r["relation"], r["qualification"]) for r in rows}
        >= {("金诃藏药集团有限公司", "certifiedAs", "新型研发机构"), ("偏转光电", "appliesFor", "高新技术企业")}
    ),
    "unnamed-members.cyp": lambda rows: (
        [(r["community"], r["declared"], r["named"], r["unnamed"]) for r in rows] == [("红领宁商党建共同体", 13, 4, 9)]
    ),
}


@pytest.mark.parametrize("name", sorted(CYPHER_LIBRARY))
def test_cypher_library_answers(bolt, name):
    path = ROOT / "queries" / "cypher" / name
    text = path.read_text(encoding="utf-8")
    assert text.startswith("//"), "each query starts with a comment saying the question it answers"
    rows = bolt.cypher(text, {"name": "红领宁商"})
    assert CYPHER_LIBRARY[name](rows), rows


def test_every_cypher_file_has_an_asserted_answer():
    assert {p.name for p in (ROOT / "queries" / "cypher").glob("*.cyp")} == set(CYPHER_LIBRARY)


# --- the graph as an analyst who knows Neo4j sees it (issue 15.5) ----------------------------------------------


def test_the_analysts_query_with_the_official_driver(graphdb):
    """Written as in Neo4j's manual: no park-kg import, the seed graph in the local server."""
    from neo4j import GraphDatabase

    driver = GraphDatabase.driver(graphdb.bolt_uri, auth=("neo4j", "neo4j"))
    with driver.session() as session:
        result = session.run(
            "MATCH (m)-[r:MEMBER_OF]->(c {name:'红领宁商党建共同体'}) RETURN m.name, r.status, r.quote"
        )
        rows = [record.data() for record in result]
        planned = session.run(
            "MATCH (u:University)-[r:PLANNED_MEMBER_OF]->(a) RETURN u.name AS u, r.status AS s, r.since AS since, "
            "r.source AS source ORDER BY u"
        ).data()
    driver.close()
    assert {r["m.name"] for r in rows} == {
        "生物园区管委会",
        "西宁市生物园区商会",
        "青海大美中药科技有限公司",
        "青海塞奇食品有限公司",
    }
    assert {r["r.status"] for r in rows} == {"active"}
    from kg.text import find_quote

    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "seeds" / "sources").glob("*.txt")]
    for r in rows:  # the quote is in the source document (after the documented normalization)
        assert r["r.quote"] and any(find_quote(text, r["r.quote"]) for text in sources)
    assert [r["u"] for r in planned] == ["西宁城市职业技术学院", "青海大学", "青海理工学院"]
    assert {(r["s"], r["since"]) for r in planned} == {("planned", "2024")} and all(
        r["source"].endswith(".txt") for r in planned
    )


def test_one_stored_direction_and_no_bookkeeping_nodes(bolt):
    def one(q: str):
        return bolt.cypher(q, {})[0]["c"]

    types = {r["t"] for r in bolt.cypher("MATCH ()-[r]->() RETURN DISTINCT type(r) AS t", {})}
    assert {"MEMBER_OF", "PLANNED_MEMBER_OF"} <= types and not types & {"HAS_MEMBER", "PLANNED_MEMBER", "FORMER_MEMBER"}
    # undirected, each membership counts once
    assert one("MATCH (m)-[r:MEMBER_OF]-(c {name: '红领宁商党建共同体'}) RETURN count(r) AS c") == 4
    assert one("MATCH (n) RETURN count(n) AS c") == one("MATCH (n:Resource) RETURN count(n) AS c")
    assert "KgSchema" not in {r["label"] for r in bolt.cypher("CALL db.labels() YIELD label RETURN label", {})}
    n = bolt.cypher("MATCH (n:Company {name_zh: '金诃藏药集团有限公司'}) RETURN n.name AS name, n.name_en AS en", {})[0]
    assert n["name"] == "金诃藏药集团有限公司" and n["en"]


def test_load_creates_the_indexes(bolt):
    rows = bolt.cypher("CALL db.indexes() YIELD label, properties RETURN label, properties", {})
    assert {"iri", "name", "name_zh", "name_en"} <= {
        p for r in rows if r["label"] == "Resource" for p in r["properties"]
    }


def test_a_shortcut_without_its_inverse_is_not_given_one():
    """One direction is stored only where both were: reading back never invents a triple."""
    import pyoxigraph as ox

    from kg.pg import to_property_graph, to_triples

    org = "http://www.w3.org/ns/org#"
    a, b, c = (ox.NamedNode(f"urn:{x}") for x in "abc")
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    triples = {
        ox.Triple(a, ox.NamedNode(org + "memberOf"), b),
        ox.Triple(b, ox.NamedNode(org + "hasMember"), a),
        ox.Triple(c, ox.NamedNode(org + "memberOf"), b),
        ox.Triple(a, ox.NamedNode(org + "hasMember"), c),
        *(ox.Triple(x, label, ox.Literal(x.value, language="zh")) for x in (a, b, c)),
    }
    pg = to_property_graph(triples, one_direction=True)
    assert sorted(pg.rels) == [
        ("urn:a", "HAS_MEMBER", "urn:c"),
        ("urn:a", "MEMBER_OF", "urn:b"),
        ("urn:c", "org:memberOf", "urn:b"),
    ]
    assert pg.nodes["urn:a"]["name"] == "urn:a"
    assert set(to_triples(pg.nodes.values(), pg.rels)) == triples
