"""`kg serve --engine oxigraph`: Oxigraph's own server behind what of our guards it keeps (a real server on a
free port, the real `oxigraph` executable of the wheel)."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT
from test_server import free_port

from kg.errors import KgError
from kg.model.terms import PREFIXES
from kg.stores.embedded import StoreDir

pytestmark = pytest.mark.integration

JSON = "application/sparql-results+json"
QUERIES = sorted((ROOT / "queries" / "sparql").glob("*.rq"))
# cut by Oxigraph's timeout; the 5-way product of test_server.py and an ORDER BY over a product are not (its
# cancellation is checked by some operators only: docs/how-to/endpoint.md)
PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p1 ?o1 . ?b ?p2 ?o2 . ?c ?p3 ?o3 }"
DECLARED = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())  # Oxigraph predeclares none


@contextlib.contextmanager
def oxigraph_server(store: Path, log: Path, *args: str):
    """``kg serve --engine oxigraph`` on a free port; yields its /sparql URL and the process, stops it after."""
    port = free_port()
    with open(log, "w", encoding="utf-8") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "--store", str(store), "serve", "--engine", "oxigraph",
             "--allow-service", "--port", str(port), *args],
            stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT,
        )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(url, "ASK {}")[0] == 200:
                    break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text(encoding="utf-8")
                time.sleep(0.1)
        yield url, proc
    finally:
        proc.terminate()
        proc.wait(30)


def _get(url: str, query: str, timeout: float = 30) -> tuple[int, bytes]:
    req = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": JSON})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _post(url: str, body: bytes, content_type: str) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _bindings(data: dict) -> list[str]:
    return sorted(json.dumps(b, sort_keys=True, ensure_ascii=False) for b in data["results"]["bindings"])


@pytest.fixture(scope="module")
def served(seed_store, tmp_path_factory):
    log = tmp_path_factory.mktemp("oxigraph-serve") / "serve.log"
    with oxigraph_server(seed_store, log, "--timeout", "1") as (url, _proc):
        yield url, log


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.stem)
def test_library_queries_answer_as_kg_sparql(served, seed_store, path):
    """The query library through Oxigraph's server gives kg sparql's JSON results (the project prefixes sent)."""
    text = path.read_text(encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "kg.cli", "--store", str(seed_store), "sparql", "--format", "json",
                        "-f", str(path)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    ours = json.loads(r.stdout)
    status, body = _get(served[0], DECLARED + text)
    assert status == 200, body[:300]
    theirs = json.loads(body)
    assert theirs["head"]["vars"] == ours["head"]["vars"]
    assert _bindings(theirs) == _bindings(ours)


def test_writes_are_refused(served, seed_store):
    url = served[0]
    insert = b"INSERT DATA { <https://example.org/a> <https://example.org/p> <https://example.org/b> }"
    assert _post(url, insert, "application/sparql-update")[0] == 403
    assert _post(url, b"update=" + urllib.parse.quote(insert).encode(), "application/x-www-form-urlencoded")[0] == 403
    store = url.removesuffix("/sparql") + "/store"
    assert _post(store, b"<https://example.org/a> <https://example.org/p> <https://example.org/b> .",
                 "application/n-triples")[0] == 403
    status, body = _get(url, "ASK { <https://example.org/a> ?p ?o }")
    assert status == 200 and json.loads(body)["boolean"] is False


def test_a_query_over_the_timeout_is_cut(served):
    """Oxigraph cuts it after --timeout (1 s here); the answer has begun (status 200) and ends in its message."""
    t0 = time.monotonic()
    status, body = _get(served[0], PRODUCT, timeout=60)
    assert time.monotonic() - t0 < 20
    assert b"cancelled" in body
    with pytest.raises(ValueError):
        json.loads(body)  # not a complete answer


def test_a_rebuild_while_serving_is_followed(seeds_copy, tmp_path):
    from kg.build import build

    store = tmp_path / "store"
    build(seeds_copy / "facts", store, shacl=False)
    first = StoreDir(store).current
    renamed = 'ASK { ?x <https://w3id.org/park-kg/ontology#translatedLabel> ?l FILTER(STRSTARTS(?l, "Renamed ")) }'
    with oxigraph_server(store, tmp_path / "serve.log") as (url, _proc):
        snapshots = list((store / "serving").iterdir())
        assert len(snapshots) == 1
        f = sorted((seeds_copy / "facts").glob("*.yaml"))[0]
        f.write_text(f.read_text(encoding="utf-8").replace("name_en: ", "name_en: Renamed ", 1), encoding="utf-8")
        build(seeds_copy / "facts", store, shacl=False)
        build(seeds_copy / "facts", store, shacl=False, force=True)  # the generation first served is pruned
        assert not first.exists()
        deadline = time.monotonic() + 30
        while not _answers_true(url, renamed):
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text(encoding="utf-8")
            time.sleep(0.2)
        assert "(rebuilt)" in (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert list((store / "serving").iterdir()) == []  # its snapshots removed when it stops


def _answers_true(url: str, ask: str) -> bool:
    """True once the server answers ``ask`` with true (connections are refused for the moment of a restart)."""
    try:
        status, body = _get(url, ask)
    except OSError:
        return False
    return status == 200 and json.loads(body)["boolean"] is True


def test_options_it_cannot_honour_are_refused(seed_store):
    base = [sys.executable, "-m", "kg.cli", "--store", str(seed_store), "serve", "--engine", "oxigraph"]
    for extra, word in ((["--allow-service", "--writable"], "--writable"), (["--allow-service", "--max-rows", "5"],
                        "--max-rows"), (["--allow-service", "--workers", "4"], "--workers"), ([], "--allow-service")):
        r = subprocess.run(base + extra, capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert r.returncode == 2 and word in r.stderr.splitlines()[-1], r.stderr
        assert "Traceback" not in r.stderr


def test_a_missing_or_other_oxigraph_is_one_line_naming_the_extra(tmp_path, monkeypatch):
    from kg.server.oxigraph import oxigraph_binary

    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(KgError, match=r"park-kg\[oxigraph\]") as e:
        oxigraph_binary()
    assert "\n" not in str(e.value) and "not installed" in str(e.value)
    other = tmp_path / "oxigraph"
    other.write_text("#!/bin/sh\necho oxigraph 0.4.11\n", encoding="utf-8")
    other.chmod(0o755)
    with pytest.raises(KgError, match=r"Oxigraph 0\.4\.11.*park-kg\[oxigraph\]"):
        oxigraph_binary()



def test_a_busy_port_is_one_line(seed_store):
    import socket

    before = set((seed_store / "serving").glob("*"))  # another test's server may be serving this store
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "kg.cli", "--store", str(seed_store), "serve", "--engine",
                            "oxigraph", "--allow-service", "--port", str(port)],
                           capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.returncode == 1, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and f"127.0.0.1:{port}" in lines[0] and "already in use" in lines[0], r.stderr
    assert set((seed_store / "serving").glob("*")) == before  # its snapshot removed
