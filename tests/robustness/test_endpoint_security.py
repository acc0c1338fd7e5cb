"""`kg serve --writable` against a hostile web page, and queries that try to take all the memory.

A page the user happens to visit can make their browser send requests to 127.0.0.1: a form
POST needs no preflight, and DNS rebinding makes a foreign name resolve to 127.0.0.1. So a
writable endpoint accepts only the Host names it was started for (421 otherwise), refuses a
write whose Origin is foreign or whose Sec-Fetch-Site is cross-site (403), wants a token
for every write (401 without it), and sends CORS headers on reads only. Every case is a
real HTTP request to a real `kg serve`, and the graph must still answer afterwards.

Each query worker runs with a memory limit (``--max-memory``): a query of under 1 KB that doubles
a string 24 times is stopped with 503 "the query used more than N MB", not after taking
gigabytes, and the next query is answered.
"""

from __future__ import annotations

import json
import re
import time
import urllib.parse

import pytest
from click.testing import CliRunner
from test_server import MEMBERS, http, running_server

from kg.cli import cli
from robustness.conftest import CRASH_MARKERS, HONGLING_NAMED, one_line_error, run_kg

pytestmark = pytest.mark.integration

TOKEN = "test-token-0123456789abcdef"
EVIL = "https://evil.example"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
UPDATE = {"Content-Type": "application/sparql-update"}
SCRATCH = 'INSERT DATA { GRAPH <urn:ex:scratch> { <urn:ex:a> <urn:ex:b> "written" } }'
WRITTEN = 'ASK { GRAPH <urn:ex:scratch> { <urn:ex:a> <urn:ex:b> "written" } }'


def balloon(doublings: int = 24) -> str:
    """A query of under 1 KB that asks for a string of 64 × 2^doublings characters (1 GiB for 24)."""
    binds = "".join(f"BIND(CONCAT(?s{i},?s{i}) AS ?s{i + 1})" for i in range(doublings))
    return f'SELECT (STRLEN(?s{doublings}) AS ?n) {{ BIND("{"x" * 64}" AS ?s0) {binds} }}'


@pytest.fixture(scope="module")
def writable(tmp_path_factory):
    """A writable `kg serve` on a fresh build of the seeds, with a known token: (url, port, log)."""
    from conftest import SEEDS

    from kg.build import build

    root = tmp_path_factory.mktemp("writable")
    build(SEEDS / "facts", root / "store")
    with running_server(
        root / "store", root / "serve.log", "--writable", "--token", TOKEN, "--allowed-host", "kg.lan"
    ) as url:
        yield url, urllib.parse.urlsplit(url).port, root / "serve.log"


def _members(url: str, **headers: str) -> set[str]:
    status, _, body = http(
        url, params={"query": MEMBERS}, headers={"Accept": "application/sparql-results+json", **headers}
    )
    assert status == 200, body
    return {b["m"]["value"] for b in json.loads(body)["results"]["bindings"]}


def _written(url: str) -> bool:
    return json.loads(http(url, params={"query": WRITTEN})[2])["boolean"]


def _form(text: str) -> bytes:
    return urllib.parse.urlencode({"update": text}).encode()


# ---------------------------------------------------------------------------- cross-site writes


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": EVIL},
        {"Origin": EVIL, "Authorization": f"Bearer {TOKEN}"},  # even a page that learnt the token
        {"Origin": "null"},  # a sandboxed frame, a file:// page
        {"Origin": "http://localhost:1"},  # another local site (another port is another origin)
        {"Sec-Fetch-Site": "cross-site"},  # a browser that sent no Origin
        {"Sec-Fetch-Site": "cross-site", "Authorization": f"Bearer {TOKEN}"},
    ],
    ids=[
        "foreign-origin",
        "foreign-origin-with-token",
        "null-origin",
        "other-local-port",
        "cross-site",
        "cross-site-with-token",
    ],
)
def test_a_cross_site_form_post_cannot_wipe_the_graph(writable, headers):
    url, _, _ = writable
    for data, ctype in ((_form("DROP ALL"), FORM), (b"DROP ALL", UPDATE)):
        status, h, body = http(url, data=data, headers={**ctype, **headers})
        assert status == 403, body
        assert "cross-site" in body or "foreign origin" in body
        assert "Access-Control-Allow-Origin" not in h
    assert _members(url) == HONGLING_NAMED


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1.evil.example:{port}",
        "localhost.evil.example",
        "[::2]:{port}",
        "",
    ],
    ids=["name", "name-and-port", "prefixed", "suffixed", "other-ip", "empty"],
)
def test_dns_rebinding_a_foreign_host_is_421(writable, host):
    url, port, _ = writable
    host = host.format(port=port)
    for kw in (
        {"params": {"query": MEMBERS}},
        {"data": _form("DROP ALL"), "headers": FORM},
        {"data": _form(SCRATCH), "headers": {**FORM, "Authorization": f"Bearer {TOKEN}"}},
    ):
        status, h, body = http(url, **{**kw, "headers": {**kw.get("headers", {}), "Host": host}})
        assert status == 421, (host, status, body)
        assert "is not a name this endpoint serves" in body and "--allowed-host" in body
        assert "Access-Control-Allow-Origin" not in h
    status, _, _ = http(url.replace("/sparql", "/health"), headers={"Host": host})
    assert status == 421
    assert not _written(url) and _members(url) == HONGLING_NAMED


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST", "[::1]:{port}", "kg.lan:{port}"])
def test_the_names_it_was_started_for_are_served(writable, host):
    url, port, _ = writable
    assert _members(url, Host=host.format(port=port)) == HONGLING_NAMED


def test_writes_need_the_token(writable):
    url, port, _ = writable
    same_origin = {"Origin": f"http://127.0.0.1:{port}", "Sec-Fetch-Site": "same-origin"}
    for auth in (
        {},
        {"Authorization": "Bearer wrong-token-0123456789"},
        {"Authorization": TOKEN},
        {"Authorization": f"Basic {TOKEN}"},
    ):
        for data, ctype in ((_form(SCRATCH), FORM), (SCRATCH.encode(), UPDATE)):
            status, h, body = http(url, data=data, headers={**ctype, **same_origin, **auth})
            assert status == 401, body
            assert "Authorization: Bearer" in body and h["WWW-Authenticate"] == "Bearer"
    assert not _written(url)
    status, h, _ = http(url, data=_form(SCRATCH), headers={**FORM, **same_origin, "Authorization": f"Bearer {TOKEN}"})
    assert status == 204
    assert "Access-Control-Allow-Origin" not in h  # CORS only on reads
    assert _written(url)
    status, _, _ = http(
        url, data=b"DROP GRAPH <urn:ex:scratch>", headers={**UPDATE, "Authorization": f"Bearer {TOKEN}"}
    )  # a script: no Origin
    assert status == 204 and not _written(url)
    assert _members(url) == HONGLING_NAMED


def test_cors_stays_open_for_reads_only(writable):
    url, _, _ = writable
    status, h, _ = http(url, params={"query": MEMBERS}, headers={"Origin": EVIL})
    assert status == 200 and h["Access-Control-Allow-Origin"] == "*"
    status, h, _ = http(
        url,
        method="OPTIONS",
        headers={
            "Origin": EVIL,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, authorization",
            "Access-Control-Request-Private-Network": "true",
        },
    )
    assert status == 200
    assert (
        "Access-Control-Allow-Private-Network" not in h
    )  # a public page may not reach a writable endpoint on 127.0.0.1
    assert "authorization" not in h.get("Access-Control-Allow-Headers", "").lower()  # nor send it the token
    assert "Access-Control-Allow-Credentials" not in h


def test_the_token_never_reaches_the_log(writable):
    url, _, log = writable
    http(url, data=_form(SCRATCH), headers={**FORM, "Authorization": f"Bearer {TOKEN}"})
    http(url, data=b"DROP GRAPH <urn:ex:scratch>", headers={**UPDATE, "Authorization": f"Bearer {TOKEN}"})
    time.sleep(0.5)
    text = log.read_text(encoding="utf-8")
    assert TOKEN not in text and "WRITABLE" in text


def test_a_generated_token_is_printed_once_and_works(seeds_copy, tmp_path):
    from kg.build import build

    build(seeds_copy / "facts", tmp_path / "store")
    log = tmp_path / "serve.log"
    with running_server(tmp_path / "store", log, "--writable", env={"KG_SERVE_TOKEN": None}) as url:
        text = log.read_text(encoding="utf-8")
        tokens = re.findall(r"Authorization: Bearer (\S+)", text)
        assert len(tokens) == 1 and len(tokens[0]) >= 32, text
        status, _, _ = http(url, data=_form(SCRATCH), headers={**FORM, "Authorization": f"Bearer {tokens[0]}"})
        assert status == 204 and _written(url)
        assert http(url, data=_form("DROP ALL"), headers=FORM)[0] == 401
    assert log.read_text(encoding="utf-8").count(tokens[0]) == 1


def test_the_token_from_the_environment_is_not_printed(seeds_copy, tmp_path):
    from kg.build import build

    build(seeds_copy / "facts", tmp_path / "store")
    log = tmp_path / "serve.log"
    with running_server(tmp_path / "store", log, "--writable", env={"KG_SERVE_TOKEN": TOKEN}) as url:
        assert http(url, data=_form(SCRATCH), headers={**FORM, "Authorization": f"Bearer {TOKEN}"})[0] == 204
    assert TOKEN not in log.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args,expect",
    [
        (("--writable", "--token", "short"), "the token must be at least 16 characters"),
        (("--token", TOKEN), "--token and --allowed-host apply to --writable only"),
        (("--allowed-host", "kg.lan"), "--token and --allowed-host apply to --writable only"),
        (("--writable", "--allowed-host", "bad host/"), "is not a host name"),
    ],
)
def test_bad_security_options_are_usage_errors(args, expect, guarded_store):
    r = CliRunner().invoke(
        cli, ["--store", str(guarded_store), "serve", "--port", "0", *args], env={"KG_SERVE_TOKEN": None}
    )
    assert r.exit_code == 2, r.output
    assert expect in r.output


# ---------------------------------------------------------------------------- memory


def test_a_ballooning_query_is_stopped_at_the_memory_limit_and_the_next_one_answered(guarded_store, tmp_path):
    log = tmp_path / "serve.log"
    with running_server(guarded_store, log, "--max-memory", "300", "--timeout", "60") as url:
        assert len(balloon().encode()) < 1200
        t0 = time.monotonic()
        status, _, body = http(url, params={"query": balloon()})
        assert status == 503, body
        assert (
            body.strip()
            == "the query used more than 300 MB of memory and was stopped; narrow it, or raise --max-memory"
        )
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

    monkeypatch.setattr(sp.runner, "START_METHOD", method)
    with sp.QueryRunner(guarded_store, max_memory=300, timeout=60) as runner:
        with pytest.raises(sp.MemoryLimit, match="the query used more than 300 MB of memory"):
            runner.run(sp.Request(balloon(), "json"))
        assert runner.run(sp.Request("ASK { ?s ?p ?o }", "json")).boolean is True


def test_kg_sparql_has_the_limit_too(guarded_store):
    p = run_kg("sparql", balloon(), "--max-memory", "300", store=guarded_store)
    assert p.returncode == 1
    assert (
        one_line_error(p.stderr.decode())
        == "Error: the query used more than 300 MB of memory and was stopped; narrow it, or raise --max-memory"
    )


def test_a_small_limit_still_answers_small_queries(guarded_store):
    """The limit is on what a query adds: the memory that holds the store open is not counted."""
    p = run_kg("sparql", "ASK { ?s ?p ?o }", "--max-memory", "20", store=guarded_store)
    assert p.returncode == 0, p.stderr
    assert p.stdout.decode().strip() == "true"


def test_a_forked_worker_is_not_charged_for_its_parents_memory(guarded_store, monkeypatch):
    """A forked worker starts with a copy of its parent: a notebook holding 400 MB still gets workers that answer."""
    import mmap

    from kg import sparql as sp

    monkeypatch.setattr(sp.runner, "START_METHOD", "fork")
    ballast = mmap.mmap(-1, 400 * 2**20, flags=mmap.MAP_PRIVATE)  # 400 MB of private data, untouched: no RAM taken
    try:
        with sp.QueryRunner(guarded_store, max_memory=300, timeout=60) as runner:
            assert runner.run(sp.Request("ASK { ?s ?p ?o }", "json")).boolean is True
            with pytest.raises(sp.MemoryLimit, match="more than 300 MB"):
                runner.run(sp.Request(balloon(), "json"))
    finally:
        ballast.close()
