"""The local graph database with the official neo4j driver, used exactly as an analyst uses it.

`kg graphdb start` runs FalkorDB and our Bolt server (kg.stores.bolt_server) on free ports;
analysts' scripts run as real processes with a 10 s timeout each. FalkorDB's own Bolt port
hung every second connection after a GOODBYE, listened on every interface, ran EXPLAIN's
query and let a client without credentials in when a password was set: each has a test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.integration

ANALYST = """\
from neo4j import GraphDatabase
driver = GraphDatabase.driver({uri!r}, auth={auth})
with driver.session() as s:
    print(s.run("MATCH (n) RETURN count(n) AS c").single()["c"])
driver.close()
"""


def kg(*args: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    e = {**os.environ, **(env or {})}
    for k in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "KG_TRANSPORT", "KG_GRAPHDB_PASSWORD"):
        if env is None or k not in env:
            e.pop(k, None)
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, env=e, cwd=ROOT, timeout=timeout
    )


def python(code: str, timeout: float = 10) -> subprocess.CompletedProcess:
    """``code`` in a fresh interpreter, as an analyst's script; it must finish within ``timeout`` s."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=timeout)


class Server:
    def __init__(self, data_dir: Path, password: str | None = None):
        from kg.graphdb import free_port

        self.dir, self.password = data_dir, password
        self.port, self.bolt_port = free_port(), free_port()
        self.uri = f"bolt://127.0.0.1:{self.bolt_port}"
        self.env = {"KG_GRAPHDB_DIR": str(data_dir), **({"KG_GRAPHDB_PASSWORD": password} if password else {})}
        p = kg("graphdb", "start", "--port", str(self.port), "--bolt-port", str(self.bolt_port), env=self.env)
        assert p.returncode == 0, p.stderr
        self.started = p.stdout

    def stop(self) -> None:
        assert kg("graphdb", "stop", env=self.env).returncode == 0


@pytest.fixture(scope="module")
def server(tmp_path_factory, seed_store):
    """An open local server (no password) holding the seed graph."""
    srv = Server(tmp_path_factory.mktemp("boltfront"))
    try:
        p = kg("--store", str(seed_store), "neo4j", "load", env=srv.env, timeout=300)
        assert p.returncode == 0, p.stderr
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def locked(tmp_path_factory):
    """A local server started with a password."""
    srv = Server(tmp_path_factory.mktemp("boltfront-pw"), password="s3cret-pw")
    yield srv
    srv.stop()


@pytest.fixture
def driver(server):
    from neo4j import GraphDatabase

    d = GraphDatabase.driver(server.uri, auth=None)
    yield d
    d.close()


def _count(driver) -> int:
    with driver.session() as s:
        return s.run("MATCH (n) RETURN count(n) AS c").single()["c"]


def test_six_analyst_scripts_in_a_row_then_kg_cypher(server):
    expected = None
    for i in range(6):
        p = python(ANALYST.format(uri=server.uri, auth="None"))  # TimeoutExpired fails the test: the old hang
        assert p.returncode == 0, f"script {i + 1}: {p.stderr[-2000:]}"
        expected = expected or p.stdout
        assert p.stdout == expected and int(p.stdout) > 200
    p = kg("cypher", "MATCH (n) RETURN count(n) AS c", "--format", "csv", env=server.env, timeout=10)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == ["c", expected.strip()]


def _listening(port: int) -> dict[str, list[str]]:
    """Local addresses (hex, as /proc shows them) of the sockets listening on ``port``, per table."""
    found: dict[str, list[str]] = {"tcp": [], "tcp6": []}
    for table in found:
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            cols = line.split()
            addr, hexport = cols[1].rsplit(":", 1)
            if int(hexport, 16) == port and cols[3] == "0A":  # 0A: LISTEN
                found[table].append(addr)
    return found


def test_both_ports_listen_on_127_0_0_1_only(server):
    for port in (server.bolt_port, server.port):
        assert _listening(port) == {"tcp": ["0100007F"], "tcp6": []}, port
    p = kg("graphdb", "status", env=server.env)
    assert p.returncode == 0
    assert (
        "listening on 127.0.0.1 only" in p.stdout and "no password: every local user can read and write it" in p.stdout
    )
    assert "listening on 127.0.0.1 only" in server.started


def test_explain_plans_without_running_the_query(driver):
    from neo4j.exceptions import CypherSyntaxError

    before = _count(driver)
    with driver.session() as s:
        plan = s.run("EXPLAIN MATCH (n) DETACH DELETE n").value()
        s.run("  // a comment first\n explain MATCH (n) SET n.pwned = 1").consume()
        with pytest.raises(CypherSyntaxError, match="only at the start"):  # FalkorDB would run this one
            s.run("CYPHER a=1 EXPLAIN MATCH (n) DETACH DELETE n").consume()
    assert plan and any("Delete" in line for line in plan)
    assert _count(driver) == before
    with driver.session() as s:
        assert s.run("MATCH (n) WHERE n.pwned IS NOT NULL RETURN count(n) AS c").single()["c"] == 0


def test_a_syntax_error_fails_and_the_same_session_goes_on(driver):
    from neo4j.exceptions import ClientError, CypherSyntaxError

    with driver.session() as s:
        with pytest.raises(CypherSyntaxError, match="line: 1, column: 10"):
            s.run("MATCH (n RETURN n").consume()
        with pytest.raises(ClientError):
            s.run("RETURN nosuchfunction(1)").consume()
        assert s.run("RETURN 1 + $x AS y", x=41).single()["y"] == 42


def test_a_write_in_read_access_mode_is_refused(driver):
    from neo4j import READ_ACCESS
    from neo4j.exceptions import ClientError

    before = _count(driver)
    with driver.session(default_access_mode=READ_ACCESS) as s:
        with pytest.raises(ClientError, match="read-only"):
            s.run("CREATE (:Junk)").consume()
        with pytest.raises(ClientError, match="read-only"):
            s.execute_read(lambda tx: tx.run("MATCH (n:Resource) SET n.pwned = 1").consume())
    assert _count(driver) == before


def test_nodes_relationships_and_paths_are_driver_objects(driver):
    from neo4j.graph import Node, Path, Relationship

    with driver.session(database="neo4j") as s:
        rec = s.run(
            "MATCH (m)-[r:MEMBER_OF]->(c {name_zh: $c}) RETURN m, r, c ORDER BY m.name_zh LIMIT 1",
            c="红领宁商党建共同体",
        ).single()
        m, r, c = rec["m"], rec["r"], rec["c"]
        assert isinstance(m, Node) and isinstance(r, Relationship) and isinstance(c, Node)
        assert r.type == "MEMBER_OF" and "Resource" in m.labels and c["name_zh"] == "红领宁商党建共同体"
        assert r.start_node.element_id == m.element_id and r.end_node.element_id == c.element_id
        assert isinstance(m.element_id, str) and m["iri"].startswith("https://w3id.org/park-kg/id/")
        p = s.run("MATCH p = (m)-[:MEMBER_OF]->(c {name_zh: $c}) RETURN p LIMIT 1", c="红领宁商党建共同体").single()[
            "p"
        ]
        assert isinstance(p, Path) and len(p) == 1 and p.end_node["name_zh"] == "红领宁商党建共同体"


def test_parameters_and_relationship_properties_round_trip(driver):
    hostile = "x') MATCH (m) DETACH DELETE m //'\\ 青海"
    with driver.session() as s:
        try:
            s.execute_write(
                lambda tx: tx.run(
                    "CREATE (:BoltTest {name: $n})-[:SAYS {quote: $q, n: 3}]->(:BoltTest {name: 'b'})",
                    n=hostile,
                    q="“引号”",
                ).consume()
            )
            rec = s.execute_read(
                lambda tx: tx.run("MATCH (a:BoltTest)-[r:SAYS]->(b) RETURN a, r, b.name AS b").single()
            )
            assert (
                rec["a"]["name"] == hostile and rec["r"]["quote"] == "“引号”" and rec["r"]["n"] == 3 and rec["b"] == "b"
            )
            assert s.run("UNWIND range(1, 2500) AS i RETURN i").value()[-1] == 2500  # several PULLs
            summary = s.run("MATCH (a:BoltTest) SET a.seen = true").consume()
            assert summary.counters.properties_set == 2
        finally:
            s.run("MATCH (a:BoltTest) DETACH DELETE a").consume()


def test_values_of_every_kind_come_back_as_the_driver_types(driver):
    from neo4j.time import Date, DateTime, Duration, Time

    with driver.session() as s:
        rec = s.run(
            "RETURN date('2024-01-02') AS d, localdatetime('2024-01-02T03:04:05') AS dt, localtime('10:11:12') AS t, "
            "duration('P1DT2H') AS du, 1.25 AS f, -2 AS i, [1, 'a', null] AS l, {k: 'v'} AS m, true AS b, $p AS p",
            p={"deep": [1, {"x": None}], "big": 2**40, "text": "“青海”"},
        ).single()
    assert rec["d"] == Date(2024, 1, 2) and isinstance(rec["dt"], DateTime) and rec["t"] == Time(10, 11, 12)
    assert rec["du"] == Duration(days=1, hours=2)
    assert (rec["f"], rec["i"], rec["l"], rec["m"], rec["b"]) == (1.25, -2, [1, "a", None], {"k": "v"}, True)
    assert rec["p"] == {"deep": [1, {"x": None}], "big": 2**40, "text": "“青海”"}


def test_garbage_on_the_bolt_port_leaves_the_server_serving(server, driver):
    import socket

    for junk in (
        b"GET / HTTP/1.1\r\n\r\n",
        b"\x60\x60\xb0\x17" + b"\x00" * 16,
        b"\x60\x60\xb0\x17" + b"\x00\x00\x04\x05" * 4 + b"\x00\x03\xb1\x01\xff\x00\x00",
        b"\x60\x60\xb0\x17" + b"\x00\x00\x04\x05" * 4 + b"\xff\xff",
    ):
        with socket.create_connection(("127.0.0.1", server.bolt_port), timeout=5) as c:
            c.sendall(junk)
            c.shutdown(socket.SHUT_WR)
            while c.recv(4096):  # the server answers what it can, then closes
                pass
    assert _count(driver) > 200


def test_neo4j_routing_uri_and_an_unknown_database(server):
    from neo4j import GraphDatabase
    from neo4j.exceptions import ClientError

    with GraphDatabase.driver(server.uri.replace("bolt://", "neo4j://"), auth=None) as d:
        assert d.execute_query("RETURN 1 AS one").records[0]["one"] == 1
        with pytest.raises(ClientError, match="one database"), d.session(database="other") as s:
            s.run("RETURN 1").consume()


def test_a_password_is_required_on_both_ports(locked):
    outcomes = []
    for auth in ("None", "('neo4j', 'wrong')", "('neo4j', 's3cret-pw')"):
        code = "import sys\nfrom neo4j.exceptions import AuthError\n\ntry:\n" + textwrap.indent(
            ANALYST.format(uri=locked.uri, auth=auth), "    "
        )
        p = python(code + "except AuthError:\n    print('AuthError')\n")
        assert p.returncode == 0, p.stderr[-2000:]
        outcomes.append(p.stdout.strip())
    assert outcomes == ["AuthError", "AuthError", "0"]
    p = python(f"import redis; redis.Redis(port={locked.port}).ping()")
    assert p.returncode != 0 and "Authentication" in p.stderr
    p = kg("graphdb", "status", env=locked.env)
    assert "a password is required on both ports" in p.stdout and "s3cret-pw" not in p.stdout
    assert "s3cret-pw" not in Path(locked.dir, "graphdb.json").read_text()


def test_kg_uses_the_password_and_hides_a_wrong_one(locked):
    for transport in ("bolt", "native"):
        p = kg("cypher", "RETURN 1 AS x", "--transport", transport, "--format", "csv", env=locked.env, timeout=10)
        assert p.returncode == 0 and p.stdout.split() == ["x", "1"], p.stderr
    env = {k: v for k, v in locked.env.items() if k != "KG_GRAPHDB_PASSWORD"}
    p = kg(
        "cypher",
        "RETURN 1 AS x",
        env={**env, "NEO4J_URI": locked.uri, "NEO4J_USER": "bob", "NEO4J_PASSWORD": "not-it-pw"},
        timeout=10,
    )
    assert p.returncode == 1
    assert "authentication failed" in p.stderr and "'bob'" in p.stderr
    assert "not-it-pw" not in p.stderr and p.stderr.strip().count("\n") == 0
    # without NEO4J_URI, NEO4J_USER / NEO4J_PASSWORD are not sent to the local server: it needs KG_GRAPHDB_PASSWORD
    p = kg("cypher", "RETURN 1 AS x", env={**env, "NEO4J_USER": "bob", "NEO4J_PASSWORD": "not-it-pw"}, timeout=10)
    assert p.returncode == 1 and p.stderr.strip().count("\n") == 0
    assert (
        "authentication failed" in p.stderr and "without credentials" in p.stderr and "KG_GRAPHDB_PASSWORD" in p.stderr
    )
    assert "not-it-pw" not in p.stderr and "bob" not in p.stderr


def test_transactions_apply_each_statement_and_stream_by_query_id(driver):
    with driver.session() as s:
        try:
            with s.begin_transaction() as tx:
                first = tx.run("UNWIND range(1, 5) AS i CREATE (:TxTest {i: i}) RETURN i")
                second = tx.run("MATCH (t:TxTest) RETURN count(t) AS c")
                assert second.single()["c"] == 5 and [r["i"] for r in first] == [1, 2, 3, 4, 5]
                tx.commit()
            assert s.execute_read(lambda tx: tx.run("MATCH (t:TxTest) RETURN count(t) AS c").single()["c"]) == 5
        finally:
            s.run("MATCH (t:TxTest) DELETE t").consume()


def test_the_bolt_server_is_supervised(tmp_path):
    """Killed, `kg graphdb start` brings it back; it stops by itself when FalkorDB dies."""
    import signal
    import time

    from kg.graphdb import GraphDb

    srv = Server(tmp_path / "db")
    db = GraphDb(srv.dir)
    try:
        st = db.state()
        os.kill(st.bolt_pid, signal.SIGKILL)
        time.sleep(0.2)
        p = kg("graphdb", "status", env=srv.env)
        assert p.returncode == 1 and "its Bolt server does not" in p.stdout
        p = kg("graphdb", "start", "--port", str(srv.port), "--bolt-port", str(srv.bolt_port), env=srv.env)
        assert p.returncode == 0, p.stderr
        st2 = db.state()
        assert st2.pid == st.pid and st2.bolt_pid != st.bolt_pid
        assert python(ANALYST.format(uri=srv.uri, auth="None")).stdout.strip() == "0"
        os.kill(st2.pid, signal.SIGKILL)  # FalkorDB gone: the Bolt server follows within seconds
        deadline = time.monotonic() + 10
        while _listening(srv.bolt_port)["tcp"] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _listening(srv.bolt_port)["tcp"]
    finally:
        srv.stop()


def test_kg_takes_a_routing_uri_and_passes_the_database_through(server):
    """Issue 18.5: neo4j:// (routing) URIs work with kg, and NEO4J_DATABASE reaches the server as sent."""
    env = {**server.env, "NEO4J_URI": server.uri.replace("bolt://", "neo4j://")}
    p = kg("cypher", "RETURN 1 AS x", "--format", "csv", env=env, timeout=30)
    assert p.returncode == 0 and p.stdout.split() == ["x", "1"], p.stderr
    p = kg("cypher", "RETURN 1 AS x", env={**env, "NEO4J_DATABASE": "other"}, timeout=30)
    assert p.returncode == 1 and p.stderr.strip().count("\n") == 0, p.stderr
    assert "database" in p.stderr.lower(), p.stderr
