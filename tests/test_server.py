"""`kg serve` as a real subprocess, queried over HTTP by SPARQLWrapper (a real SPARQL client) and urllib."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.integration

HONGLING_NAMED = {"生物园区管委会", "西宁市生物园区商会", "青海大美中药科技有限公司", "青海塞奇食品有限公司"}
MEMBERS = 'SELECT ?m WHERE { ?c skos:altLabel "红领宁商"@zh ; org:hasMember/skos:prefLabel ?m } ORDER BY ?m'
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p1 ?o1 . ?b ?p2 ?o2 . ?c ?p3 ?o3 . ?d ?p4 ?o4 . ?e ?p5 ?o5 }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_server(store: Path, log: Path, *args: str, env: dict | None = None):
    """``kg serve`` in a subprocess on a free port; yields the endpoint URL, stops it after.

    ``env`` changes the server's environment (a value of None removes the variable)."""
    port = free_port()
    environ = {**os.environ, **(env or {})}
    with open(log, "w", encoding="utf-8") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "--store", str(store), "serve", "--port", str(port), *args],
            stdout=subprocess.DEVNULL,
            stderr=err,
            cwd=ROOT,
            env={k: v for k, v in environ.items() if v is not None},
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/health", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"kg serve did not start: {log.read_text(encoding='utf-8')}") from None
                time.sleep(0.1)
        yield base + "/sparql"
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def server(seed_store, tmp_path_factory):
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with running_server(seed_store, log, "--timeout", "2", "--max-rows", "1000") as url:
        yield url, log


@pytest.fixture
def endpoint(server):
    return server[0]


def wrapper(url: str, query: str, fmt: str | None = None, method: str = "GET"):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    sw = SPARQLWrapper(url)
    sw.setQuery(query)
    sw.setReturnFormat(fmt or JSON)
    if method == "POST":
        sw.setMethod(POST)
    return sw


def http(
    url: str,
    *,
    params: dict | None = None,
    data: bytes | None = None,
    headers: dict | None = None,
    method: str | None = None,
):
    """(status, headers, body text) of one request; HTTP errors are returned, not raised."""
    if params:
        url += "?" + urllib.parse.urlencode(params)
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8")


# ---------------------------------------------------------------------------- SPARQLWrapper


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_with_sparqlwrapper(endpoint, method):
    data = wrapper(endpoint, MEMBERS, method=method).query().convert()
    assert data["head"]["vars"] == ["m"]
    assert {b["m"]["value"] for b in data["results"]["bindings"]} == HONGLING_NAMED


def test_select_posted_directly_as_sparql_query(endpoint):
    from SPARQLWrapper import POSTDIRECTLY

    sw = wrapper(endpoint, MEMBERS, method="POST")
    sw.setRequestMethod(POSTDIRECTLY)
    assert {b["m"]["value"] for b in sw.query().convert()["results"]["bindings"]} == HONGLING_NAMED


def test_ask_with_sparqlwrapper(endpoint):
    assert (
        wrapper(endpoint, 'ASK { ?u skos:prefLabel "青海大学"@zh ; park:plannedMemberOf ?a }')
        .query()
        .convert()["boolean"]
        is True
    )
    assert (
        wrapper(endpoint, 'ASK { ?u skos:prefLabel "青海大学"@zh ; org:memberOf ?a }').query().convert()["boolean"]
        is False
    )


def test_construct_with_sparqlwrapper(endpoint):
    import rdflib
    from SPARQLWrapper import JSONLD, RDFXML, TURTLE

    q = 'CONSTRUCT { ?m org:memberOf ?c } WHERE { ?c skos:altLabel "红领宁商"@zh . ?m org:memberOf ?c }'
    turtle = wrapper(endpoint, q, TURTLE).query().convert()
    g = rdflib.Graph().parse(data=turtle, format="turtle")
    assert len(g) == 4
    assert set(g.objects()) == {rdflib.URIRef("https://w3id.org/park-kg/id/community/hongling-ningshang")}
    for fmt in (RDFXML, JSONLD):  # SPARQLWrapper parses these into rdflib graphs itself
        assert len(wrapper(endpoint, q, fmt).query().convert()) == 4


def test_update_is_refused_with_403(endpoint):
    import urllib.error

    for method in ("POST", "GET"):
        sw = wrapper(endpoint, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", method=method)
        with pytest.raises(urllib.error.HTTPError) as e:
            sw.query()
        assert e.value.code == 403
    status, _, body = http(
        endpoint, data=b"DELETE WHERE { ?s ?p ?o }", headers={"Content-Type": "application/sparql-update"}
    )
    assert status == 403 and "read-only" in body
    assert wrapper(endpoint, "ASK { <urn:a> <urn:b> <urn:c> }").query().convert()["boolean"] is False
    assert wrapper(endpoint, MEMBERS).query().convert()["results"]["bindings"]  # nothing was deleted


def test_malformed_query_is_400_with_the_parser_message(endpoint):
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    with pytest.raises(QueryBadFormed) as e:
        wrapper(endpoint, "SELECT ?x WHERE {\n  ?x a park:Company .\n  FILTER(?x = ) }").query()
    assert "line 3, column " in str(e.value) and "expected" in str(e.value)


def test_expensive_query_is_stopped_by_the_timeout(endpoint):
    import urllib.error

    with pytest.raises(urllib.error.HTTPError) as e:
        wrapper(endpoint, CARTESIAN).query()
    assert e.value.code == 503 and b"ran longer than 2 s" in e.value.read()
    assert {
        b["m"]["value"] for b in wrapper(endpoint, MEMBERS).query().convert()["results"]["bindings"]
    } == HONGLING_NAMED


# ---------------------------------------------------------------------------- protocol details


@pytest.mark.parametrize(
    "accept,ctype,marker",
    [
        ("application/sparql-results+json", "application/sparql-results+json", '"bindings"'),
        ("application/sparql-results+xml", "application/sparql-results+xml", "<sparql"),
        ("text/csv", "text/csv", "m\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values", "?m\n"),
        ("*/*", "application/sparql-results+json", '"bindings"'),
    ],
)
def test_select_content_negotiation(endpoint, accept, ctype, marker):
    status, headers, body = http(endpoint, params={"query": MEMBERS}, headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(ctype)
    assert marker in body and all(n in body for n in HONGLING_NAMED)


@pytest.mark.parametrize(
    "accept,ctype,rdflib_format",
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
    ],
)
def test_construct_content_negotiation(endpoint, accept, ctype, rdflib_format):
    import rdflib

    q = "CONSTRUCT WHERE { ?u a park:University ; skos:prefLabel ?n }"
    status, headers, body = http(
        endpoint,
        data=urllib.parse.urlencode({"query": q}).encode(),
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 200 and headers["Content-Type"].startswith(ctype)
    g = rdflib.Graph().parse(data=body, format=rdflib_format)
    assert len(g) == 6 and rdflib.Literal("青海理工学院", lang="zh") in set(g.objects())


def test_unacceptable_accept_is_406(endpoint):
    status, _, body = http(endpoint, params={"query": MEMBERS}, headers={"Accept": "image/png"})
    assert status == 406 and "text/csv" in body


def test_default_graph_uri_selects_the_dataset(endpoint):
    q = "ASK { ?c a owl:Class }"
    assert json.loads(http(endpoint, params={"query": q})[2])["boolean"] is True  # union includes the ontology
    doc = "https://w3id.org/park-kg/id/doc/xnbio-2024-07a"
    assert json.loads(http(endpoint, params={"query": q, "default-graph-uri": doc})[2])["boolean"] is False


def test_result_size_limit(endpoint):
    status, _, body = http(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert status == 422 and "more than 1000 rows" in body
    status, _, body = http(
        endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1000"}, headers={"Accept": "text/csv"}
    )
    assert status == 200 and len(body.splitlines()) == 1001


def test_service_is_refused(endpoint):
    status, _, body = http(
        endpoint, params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"}
    )
    assert status == 403 and "SERVICE is refused" in body


def test_unsupported_post_body_is_415_and_missing_query_400(endpoint):
    assert http(endpoint, data=b"{}", headers={"Content-Type": "application/json"})[0] == 415
    assert http(endpoint, data=b"format=json", headers={"Content-Type": "application/x-www-form-urlencoded"})[0] == 400


# ---------------------------------------------------------------------------- service description

SD = "http://www.w3.org/ns/sparql-service-description#"


def _description(endpoint: str, accept: str | None = None, rdflib_format: str = "turtle"):
    import rdflib

    status, headers, body = http(endpoint, headers={"Accept": accept} if accept else None)
    assert status == 200, body
    return headers.get_content_type(), rdflib.Graph().parse(data=body, format=rdflib_format)


def test_get_without_a_query_is_the_service_description(endpoint):
    from rdflib import RDF, Namespace, URIRef

    sd, formats = Namespace(SD), Namespace("http://www.w3.org/ns/formats/")
    ctype, g = _description(endpoint)
    assert ctype == "text/turtle"
    service = URIRef(endpoint)
    assert (service, RDF.type, sd.Service) in g and (service, sd.endpoint, service) in g
    assert set(g.objects(service, sd.supportedLanguage)) == {sd.SPARQL11Query}  # read-only: no SPARQL11Update
    assert {formats.SPARQL_Results_JSON, formats.SPARQL_Results_CSV, formats.Turtle} <= set(
        g.objects(service, sd.resultFormat)
    )
    assert sd.UnionDefaultGraph in set(g.objects(service, sd.feature))
    dataset = g.value(service, sd.defaultDataset)
    named = {str(g.value(n, sd.name)) for n in g.objects(dataset, sd.namedGraph)}
    status, _, body = http(endpoint, params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"})
    assert named == {b["g"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert "https://w3id.org/park-kg/ontology" in named and len(named) == 2
    # the union default graph, as described: one query without a dataset sees both the ontology and a document
    both = "ASK { ?c a owl:Class . ?m a org:Membership }"
    assert json.loads(http(endpoint, params={"query": both})[2])["boolean"] is True
    assert g.value(g.value(dataset, sd.defaultGraph), RDF.type) == sd.Graph


@pytest.mark.parametrize(
    "accept, ctype, rdflib_format",
    [
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("text/turtle;q=0.5, application/ld+json;q=0.9", "application/ld+json", "json-ld"),
    ],
)
def test_the_service_description_is_negotiated(endpoint, accept, ctype, rdflib_format):
    from rdflib.compare import isomorphic

    got, g = _description(endpoint, accept, rdflib_format)
    assert got == ctype and isomorphic(g, _description(endpoint)[1])
    assert http(endpoint, headers={"Accept": "image/png"})[0] == 406


def test_cors_preflight_and_response_without_credentials(endpoint):
    status, headers, _ = http(
        endpoint,
        method="OPTIONS",
        headers={
            "Origin": "https://yasgui.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, accept",
            "Access-Control-Request-Private-Network": "true",
        },
    )
    assert status == 200
    assert headers["Access-Control-Allow-Private-Network"] == "true"  # a public page may call 127.0.0.1
    assert headers["Access-Control-Allow-Origin"] == "*" and "POST" in headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in headers
    status, headers, _ = http(endpoint, params={"query": MEMBERS}, headers={"Origin": "https://yasgui.example"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"


def test_health(endpoint, store):
    status, _, body = http(endpoint.replace("/sparql", "/health"))
    data = json.loads(body)
    assert status == 200 and data["status"] == "ok" and data["read_only"] is True
    assert data["triples"] == store.manifest()["counts"]["triples"] and data["documents"] == 1
    assert data["timeout_seconds"] == 2 and data["max_rows"] == 1000


def test_one_log_line_per_request_and_the_default_host(server):
    url, log = server
    marker = f"marker-{time.time_ns()}"
    for _ in range(3):
        http(url, params={"query": f'ASK {{ ?s ?p "{marker}" }}'})
    http(url, params={"query": f"SELECT {marker}"})
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = [line for line in log.read_text(encoding="utf-8").splitlines() if marker in line]
        if len(lines) >= 4:
            break
        time.sleep(0.1)
    assert len(lines) == 4
    assert sum('"GET /sparql" 200 ASK false' in line for line in lines) == 3
    assert sum('"GET /sparql" 400' in line and "error=" in line for line in lines) == 1
    assert "SPARQL endpoint: http://127.0.0.1:" in log.read_text(encoding="utf-8")  # bound to loopback by default


# ---------------------------------------------------------------------------- writable


def test_writable_server_accepts_updates(seeds_copy, tmp_path):
    from SPARQLWrapper import POST, SPARQLWrapper

    from kg.build import build

    store = tmp_path / "store"
    build(seeds_copy / "facts", store)
    token = "a-token-for-this-test-only"
    with running_server(store, tmp_path / "serve.log", "--writable", "--token", token) as url:
        sw = SPARQLWrapper(url)
        sw.setMethod(POST)
        sw.addCustomHttpHeader("Authorization", f"Bearer {token}")
        sw.setQuery('PREFIX ex: <urn:ex:> INSERT DATA { GRAPH ex:scratch { ex:a skos:prefLabel "草稿"@zh } }')
        assert sw.query().response.status == 204
        assert wrapper(url, 'ASK { ?s skos:prefLabel "草稿"@zh }').query().convert()["boolean"] is True
        status, _, body = http(url, params={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
        assert status == 400 and "update=" in body  # an update sent as a query
        health = json.loads(http(url.replace("/sparql", "/health"))[2])
        assert health["read_only"] is False and health["workers"] == 1
        _, described = _description(url)
        assert f"<{SD}SPARQL11Update>" in {o.n3() for o in described.objects(None, None)}
    assert "WRITABLE" in (tmp_path / "serve.log").read_text(encoding="utf-8")


def test_a_busy_port_is_one_line_before_any_announcement(seed_store, tmp_path):
    """Issue 15.2: the port is checked before the URL is announced; no uvicorn traceback, exit 1."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = subprocess.run(
            [sys.executable, "-m", "kg.cli", "--store", str(seed_store), "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
    assert r.returncode == 1, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and f"127.0.0.1:{port}" in lines[0] and "already in use" in lines[0] and "--port" in lines[0]
    assert "SPARQL endpoint" not in r.stderr and "Errno" not in r.stderr


def test_port_zero_announces_the_real_port(seed_store, tmp_path):
    """Issue 15.2: --port 0 takes a free port and the announced URL is the one that answers."""
    import re

    log = tmp_path / "serve.log"
    with open(log, "w", encoding="utf-8") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "--store", str(seed_store), "serve", "--port", "0"],
            stdout=subprocess.DEVNULL,
            stderr=err,
            cwd=ROOT,
        )
    try:
        deadline = time.monotonic() + 60
        while not (m := re.search(r"http://127\.0\.0\.1:(\d+)/sparql", log.read_text(encoding="utf-8"))):
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text(encoding="utf-8")
            time.sleep(0.1)
        assert int(m.group(1)) != 0
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{m.group(1)}/health", timeout=5) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(30)
