"""The query page of `kg serve` (GET /) in headless Chromium, against a real server on the seed graph.

Pick an example from the query library, run it, read the table, download CSV and JSON — and every
request the browser makes (recorded through the DevTools protocol) goes to the server, no other host.
"""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlsplit

import pytest
from conftest import ROOT
from test_server import HONGLING_NAMED, http, running_server
from test_views_browser import browser  # noqa: F401  (the Chromium fixture)

pytestmark = pytest.mark.integration

MEMBERS_RQ = ROOT / "queries" / "sparql" / "members.rq"
TOKEN = "a-token-for-the-page-test"


@pytest.fixture(scope="module")
def base(seed_store, tmp_path_factory):
    with running_server(seed_store, tmp_path_factory.mktemp("page") / "serve.log") as url:
        yield url.removesuffix("/sparql")


class Opened:
    """The page in a fresh context; every URL the browser asked for (DevTools ``Network.requestWillBeSent``)."""

    def __init__(self, browser, base: str):
        self.context = browser.new_context(accept_downloads=True)
        self.page = self.context.new_page()
        self.urls: list[str] = []
        self.errors: list[str] = []
        cdp = self.context.new_cdp_session(self.page)
        cdp.on("Network.requestWillBeSent", lambda e: self.urls.append(e["request"]["url"]))
        cdp.send("Network.enable")
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(base + "/")
        self.page.wait_for_selector("body[data-ready]", state="attached", timeout=30_000)

    def run(self, query: str | None = None) -> str:
        """Run the editor's query (after typing ``query``); the results' state: done or error."""
        if query is not None:
            self.page.fill("#query", query)
        self.page.click("#run")
        self.page.wait_for_selector(
            "#results[data-state=done], #results[data-state=error]", state="attached", timeout=30_000
        )
        return self.page.get_attribute("#results", "data-state")

    def table(self) -> tuple[list[str], list[list[str]]]:
        head = self.page.eval_on_selector_all("#results th", "cells => cells.map(c => c.textContent)")
        rows = self.page.eval_on_selector_all(
            "#results tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent))"
        )
        return head, rows

    def download(self, button: str, tmp_path) -> bytes:
        with self.page.expect_download() as dl:
            self.page.click(button)
        out = tmp_path / dl.value.suggested_filename
        dl.value.save_as(out)
        return out.read_bytes()

    def hosts(self) -> set[str]:
        """The origins asked for (a blob: URL counts as the origin that made it)."""
        return {"{0.scheme}://{0.netloc}".format(urlsplit(u.removeprefix("blob:"))) for u in self.urls}


@pytest.fixture
def opened(browser):
    pages: list[Opened] = []
    yield lambda base: pages.append(Opened(browser, base)) or pages[-1]
    for p in pages:
        p.context.close()


def test_a_library_example_runs_into_a_table_and_downloads(base, seed_store, opened, tmp_path):
    from kg import sparql as sp

    p = opened(base)
    options = p.page.eval_on_selector_all("#examples option", "os => os.map(o => [o.value, o.textContent])")
    names = [label.split(" — ")[0] for value, label in options if value]
    assert names == sorted(f.stem for f in (ROOT / "queries" / "sparql").glob("*.rq"))
    p.page.select_option("#examples", value=next(v for v, label in options if label.startswith("members — ")))
    text = MEMBERS_RQ.read_text(encoding="utf-8")
    assert p.page.input_value("#query") == text
    assert p.run() == "done"
    head, rows = p.table()
    expected = sp.run(seed_store, text, table=True)  # the same query answered in-process, as `kg sparql` prints it
    assert head == expected.variables == ["member", "status", "since", "role", "quote", "source"]
    assert rows == [[r[v] for v in head] for r in expected.rows]
    assert HONGLING_NAMED <= {r[0] for r in rows if r[1] == "active"}
    assert f"{len(rows)} rows" in p.page.inner_text("#status")

    table = list(csv.reader(io.StringIO(p.download("#csv", tmp_path).decode("utf-8"))))
    assert table[0] == head and sorted(table[1:]) == sorted(
        rows
    )  # every cell here is a literal: CSV holds the same text
    answer = json.loads(p.download("#json", tmp_path))
    assert answer["head"]["vars"] == head
    assert sorted([b.get(v, {}).get("value", "") for v in head] for b in answer["results"]["bindings"]) == sorted(rows)

    p.page.click("#add-prefixes")
    assert p.page.input_value("#query").startswith("PREFIX park: <https://w3id.org/park-kg/ontology#>\n")
    assert p.run("SELECT ?x WHERE {") == "error"
    assert "400: line 1" in p.page.inner_text("#status")
    assert p.run("CONSTRUCT WHERE { ?u a park:University }") == "done"
    assert "park:University" in p.page.inner_text("#results pre") and p.page.inner_text("#csv") == "Turtle"
    assert p.hosts() == {base}, p.urls
    assert all("status of 400" in e for e in p.errors), p.errors  # Chromium logs the refused query's 400, nothing else


def test_updates_need_the_token_on_a_writable_endpoint(seeds_copy, tmp_path, opened):
    from kg.build import build

    store = tmp_path / "store"
    build(seeds_copy / "facts", store)
    with running_server(store, tmp_path / "serve.log", "--writable", "--token", TOKEN) as url:
        base = url.removesuffix("/sparql")
        p = opened(base)
        assert p.page.is_visible("#token") and "writable" in p.page.inner_text("#mode")
        assert p.run('ASK { ?s skos:prefLabel "页面"@zh }') == "done" and p.page.inner_text("#results") == "false"
        insert = 'INSERT DATA { GRAPH <urn:kg:page> { <urn:kg:x> skos:prefLabel "页面"@zh } }'
        assert p.run(insert) == "error" and "401" in p.page.inner_text("#status")
        p.page.fill("#token", TOKEN)
        assert p.run(insert) == "done" and "update done" in p.page.inner_text("#status")
        assert p.run('ASK { ?s skos:prefLabel "页面"@zh }') == "done" and p.page.inner_text("#results") == "true"
        assert '"boolean":true' in http(url, params={"query": 'ASK { ?s skos:prefLabel "页面"@zh }'})[2]
        assert p.hosts() == {base}, p.urls


def test_a_read_only_endpoint_hides_the_token_and_refuses_updates(base, opened):
    p = opened(base)
    assert not p.page.is_visible("#token") and "read-only" in p.page.inner_text("#mode")
    assert p.run("INSERT DATA { <urn:a> <urn:b> <urn:c> }") == "error"
    assert "403: SPARQL Update is refused" in p.page.inner_text("#status")
