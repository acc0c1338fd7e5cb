"""Security defaults: loopback only, headers that let nothing run, no secret in any message, no network unless asked.

tests/test_server.py checks read-only (403), the limits (503/422), CORS without
credentials and the logged default host; tests/test_views*.py check that hostile labels
stay text. Here: what the kernel says `kg serve` listens on, the headers of every kind of
answer, LOAD refused even by a writable endpoint, the views' script policy in a browser,
passwords (options, environment, inside the URI) through every failure, and a local port
that proves SERVICE, LOAD and owl:imports fetch nothing.
"""

from __future__ import annotations

import os
import shutil
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_server import MEMBERS, http, running_server

from kg.cli import cli
from robustness.conftest import HONGLING_NAMED, one_line_error

pytestmark = pytest.mark.integration

PASSWORD = "Hunter2-secret-pw"


@pytest.fixture(scope="module")
def server(guarded_store, tmp_path_factory):
    log = tmp_path_factory.mktemp("security") / "serve.log"
    with running_server(guarded_store, log, "--timeout", "5") as url:
        yield url, log


def _listening(port: int) -> list[str]:
    """Local addresses (hex, as /proc/net/tcp* writes them) of LISTEN sockets on ``port``."""
    out = []
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(name, encoding="ascii") as f:
            for line in f.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                addr, hexport = local.split(":")
                if int(hexport, 16) == port and state == "0A":
                    out.append(addr)
    return out


def test_serve_listens_on_loopback_only(server):
    url, log = server
    port = urllib.parse.urlsplit(url).port
    assert _listening(port) == ["0100007F"]  # 127.0.0.1, and nothing on 0.0.0.0 or ::
    assert "anyone who can reach this machine" not in log.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "path,params,headers,method,status",
    [
        ("/sparql", {"query": MEMBERS}, {}, "GET", 200),
        ("/sparql", {"query": MEMBERS}, {"Accept": "text/csv"}, "GET", 200),
        ("/sparql", {"query": "CONSTRUCT WHERE { ?u a park:University }"}, {"Accept": "text/turtle"}, "GET", 200),
        ("/health", None, {}, "GET", 200),
        ("/", None, {"Accept": "application/json"}, "GET", 200),
        ("/sparql", {"query": "SELECT ?x WHERE {"}, {}, "GET", 400),
        ("/sparql", {"query": "DROP ALL"}, {}, "GET", 403),
        ("/nope", None, {}, "GET", 404),
        (
            "/sparql",
            None,
            {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST", "Cookie": "session=x"},
            "OPTIONS",
            200,
        ),
    ],
    ids=["json", "csv", "turtle", "health", "index", "400", "403", "404", "preflight"],
)
def test_every_answer_carries_the_security_headers(server, path, params, headers, method, status):
    from kg.server import SECURITY_HEADERS

    url, _ = server
    got, h, _ = http(url.replace("/sparql", path), params=params, headers=headers, method=method)
    assert got == status
    for name, value in SECURITY_HEADERS.items():
        assert h[name] == value
    assert (
        "default-src 'none'" in h["content-security-policy"]
        and "frame-ancestors 'none'" in h["content-security-policy"]
    )
    assert not h.get_all("Set-Cookie") and "Access-Control-Allow-Credentials" not in h
    assert "uvicorn" not in (h.get("Server") or "")
    assert not h.get_content_type().startswith("text/html")  # the endpoint serves no HTML but its query page


def test_the_query_page_may_load_only_its_own_files(server):
    """GET / is the query page: its policy allows scripts, styles and requests from this origin only, nothing inline."""
    url, _ = server
    status, h, body = http(url.replace("/sparql", "/"), headers={"Accept": "text/html"})
    assert status == 200 and h.get_content_type() == "text/html"
    policy = dict(d.strip().split(" ", 1) for d in h["content-security-policy"].split(";"))
    assert policy == {
        "default-src": "'none'",
        "script-src": "'self'",
        "style-src": "'self'",
        "connect-src": "'self'",
        "img-src": "'self'",
        "frame-ancestors": "'none'",
        "base-uri": "'none'",
        "form-action": "'none'",
    }
    assert "<script>" not in body and "http://" not in body and "https://" not in body
    assert h["x-content-type-options"] == "nosniff" and h["x-frame-options"] == "DENY"


def test_a_writable_endpoint_still_refuses_load(seeds_copy, tmp_path, listener):
    """--writable accepts updates, but LOAD would fetch a document from the network: refused unless --allow-service."""
    from kg.build import build

    store = tmp_path / "store"
    build(seeds_copy / "facts", store)
    token = "a-token-for-this-test-only"
    with running_server(store, tmp_path / "serve.log", "--writable", "--token", token) as url:
        for body in (
            f"LOAD <{listener.url}>",
            f"INSERT DATA {{ <urn:a> <urn:b> <urn:c> }} ; LOAD SILENT <{listener.url}> INTO GRAPH <urn:g>",
        ):
            status, _, text = http(
                url,
                data=body.encode(),
                headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {token}"},
            )
            assert status == 403 and "LOAD is refused" in text
        status, _, text = http(url, params={"query": "ASK { <urn:a> <urn:b> <urn:c> }"})
        assert status == 200 and '"boolean":false' in text  # refused as a whole: the INSERT before it did not run
    assert listener.hits == 0


def test_service_through_the_endpoint_fetches_nothing(server, listener):
    url, _ = server
    status, _, _ = http(url, params={"query": f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"})
    assert status == 403
    status, _, _ = http(url, params={"query": f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}"})
    assert status == 200
    assert listener.hits == 0


def test_owl_imports_in_the_ontology_are_not_followed(seeds_copy, tmp_path, listener, monkeypatch):
    """An ontology that imports a remote document builds (with SHACL) without fetching it."""
    import importlib

    from conftest import ROOT

    from kg.build import build
    from kg.stores.embedded import EmbeddedStore

    onto = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", onto)
    for name in ("park.ttl", "shapes.ttl"):
        (onto / name).write_text(
            (onto / name).read_text(encoding="utf-8")
            + f"\n<https://w3id.org/park-kg/ontology> <http://www.w3.org/2002/07/owl#imports> <{listener.url}> .\n"
            '<urn:probe> <http://www.w3.org/2000/01/rdf-schema#label> "imports-probe" .\n',
            encoding="utf-8",
        )
    patched = 0
    for module in ("kg.build.documents", "kg.validate"):
        try:
            mod = importlib.import_module(module)
        except ImportError:
            continue
        if hasattr(mod, "ONTOLOGY_DIR"):
            monkeypatch.setattr(mod, "ONTOLOGY_DIR", onto)
            patched += 1
    assert patched
    build(seeds_copy / "facts", tmp_path / "store", shacl=True)
    assert EmbeddedStore(tmp_path / "store").ox.query(
        'ASK { GRAPH ?g { <urn:probe> ?p "imports-probe" } }'
    )  # the copy was used
    assert listener.hits == 0


# ---------------------------------------------------------------------------- secrets


def _free_bolt_uri(userinfo: str = "") -> str:
    from kg.graphdb import free_port

    return f"bolt://{userinfo}127.0.0.1:{free_port()}"


@pytest.mark.parametrize(
    "args,env",
    [
        (
            ("members", "红领宁商", "--backend", "bolt"),
            {"NEO4J_URI": _free_bolt_uri(), "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": PASSWORD},
        ),
        (("members", "红领宁商", "--backend", "bolt"), {"NEO4J_URI": _free_bolt_uri(f"neo4j:{PASSWORD}@")}),
        (("cypher", "RETURN 1", "--uri", _free_bolt_uri(), "--user", "neo4j", "--password", PASSWORD), {}),
        (("cypher", "RETURN 1", "--uri", _free_bolt_uri(f"neo4j:{PASSWORD}@")), {}),
        (("neo4j", "load", "--uri", _free_bolt_uri(), "--user", "neo4j", "--password", PASSWORD), {}),
        (("neo4j", "export", "--uri", _free_bolt_uri(f"neo4j:{PASSWORD}@")), {}),
    ],
    ids=[
        "env-server-down",
        "uri-userinfo-server-down",
        "option-server-down",
        "cypher-uri-userinfo",
        "load-server-down",
        "export-uri-userinfo",
    ],
)
def test_password_never_printed_when_the_server_is_down(args, env, guarded_store, tmp_path):
    env = {"KG_GRAPHDB_DIR": str(tmp_path), "NEO4J_USER": None, "NEO4J_PASSWORD": None, "NEO4J_URI": None, **env}
    r = CliRunner().invoke(cli, ["--store", str(guarded_store), *args], env=env, catch_exceptions=False)
    assert r.exit_code == 1
    line = one_line_error(r.stderr)
    assert "cannot reach the graph database" in line
    assert PASSWORD not in r.output


@pytest.fixture(scope="module")
def locked_graphdb(tmp_path_factory):
    """A local graph database started with a password (it refuses every other login)."""
    from kg.graphdb import GraphDb, free_port

    db = GraphDb(tmp_path_factory.mktemp("locked"))
    st = db.start(port=free_port(), bolt_port=free_port(), password="the-right-one")
    yield st
    db.stop()


@pytest.mark.parametrize("how", ["env", "option", "uri"])
def test_password_never_printed_when_the_login_is_refused(locked_graphdb, guarded_store, how):
    base = {
        "KG_GRAPHDB_DIR": locked_graphdb.data_dir,
        "NEO4J_USER": None,
        "NEO4J_PASSWORD": None,
        "NEO4J_URI": locked_graphdb.bolt_uri,
        "KG_GRAPHDB_PASSWORD": None,
    }
    args = ["cypher", "RETURN 1 AS x"]
    if how == "env":
        base.update(NEO4J_USER="mallory", NEO4J_PASSWORD=PASSWORD)
    elif how == "option":
        args += ["--user", "mallory", "--password", PASSWORD]
    else:
        base["NEO4J_URI"] = locked_graphdb.bolt_uri.replace("bolt://", f"bolt://mallory:{PASSWORD}@")
    r = CliRunner().invoke(cli, args, env=base, catch_exceptions=False)
    assert r.exit_code == 1
    assert (
        "authentication failed" in one_line_error(r.stderr) and "'mallory'" in r.stderr
    )  # from the URI too: moved out of it
    assert PASSWORD not in r.output


def test_bolt_config_repr_hides_the_password():
    from kg.stores.bolt import BoltConfig

    cfg = BoltConfig(uri="bolt://db.example:7687", user="neo4j", password=PASSWORD)
    assert PASSWORD not in repr(cfg) and PASSWORD not in str(cfg)
    inside = BoltConfig(
        uri=f"bolt://neo4j:{PASSWORD}@db.example:7687"
    )  # moved out of the URI, which the driver refuses
    assert (inside.uri, inside.user, inside.password) == ("bolt://db.example:7687", "neo4j", PASSWORD)
    assert PASSWORD not in repr(inside) and PASSWORD not in inside.safe_uri


def test_password_in_the_environment_is_not_in_ps_or_serve_logs(server):
    """kg serve never sees Neo4j settings; its log holds requests and errors only."""
    url, log = server
    http(url, params={"query": MEMBERS})
    text = log.read_text(encoding="utf-8")
    assert PASSWORD not in text and "NEO4J" not in text


# ---------------------------------------------------------------------------- views


def test_view_page_runs_only_its_own_scripts(guarded_store, tmp_path):
    """The page's policy lists its two scripts by hash: markup that became a script would not run."""
    import re

    from kg import views
    from kg.stores.embedded import EmbeddedStore

    page = views.to_html(views.view(EmbeddedStore(guarded_store), community="红领宁商"))
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'" and directives["connect-src"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in directives["script-src"]
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    import base64
    import hashlib

    assert len(scripts) == 2
    assert directives["script-src"].split() == [
        "'sha256-%s'" % base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts
    ]
    assert all(n in page for n in HONGLING_NAMED)


def test_view_page_with_an_injected_script_does_not_run_it(guarded_store, tmp_path):
    """In Chromium: the page works (its own scripts run), a script smuggled in beside them is blocked."""
    from chromium import CHROMIUM, launch

    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} missing: run bash scripts/system-deps.sh")
        pytest.skip(f"{CHROMIUM} missing")
    from playwright.sync_api import sync_playwright

    from kg import views
    from kg.stores.embedded import EmbeddedStore

    page_html = views.to_html(views.view(EmbeddedStore(guarded_store), community="红领宁商"))
    smuggled = page_html.replace(
        "</body>", '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"></body>'
    )
    path = Path(tmp_path / "v.html")
    path.write_text(smuggled, encoding="utf-8")
    with sync_playwright() as p:
        b = launch(p)
        try:
            pg = b.new_page()
            violations = []
            pg.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
            fetched, blocked = [], []
            pg.on("requestfinished", lambda r: fetched.append(r.url))
            pg.on("requestfailed", lambda r: blocked.append(r.failure))
            pg.goto(path.as_uri())
            pg.wait_for_selector("body[data-ready='1']", timeout=30_000)
            assert pg.evaluate("window.__pwned === undefined")
            assert pg.evaluate("typeof kgView === 'object' && kgView.nodes.length > 0")
            assert len(violations) >= 3  # the script, the onerror handler, the image
            assert fetched == [path.as_uri()] and blocked == ["csp"]  # nothing loaded but the file itself
        finally:
            b.close()
