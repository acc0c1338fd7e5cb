"""`kg view` pages in headless Chromium (Debian's /usr/bin/chromium driven by Playwright).

For every mode on the seed graph: no console error, no request but the file itself, the
DataSets hold the graph's nodes and edges, a screenshot that is not blank. Then search,
hover, filters, English labels, PNG export, and a label made of markup that must stay text.
"""

from __future__ import annotations

import io
import itertools
import math
import os
import shutil
import time
from pathlib import Path

import pytest
from chromium import CHROMIUM, launch
from test_views import HOSTILE, HOSTILE_EN, JINHE, build_hostile

pytestmark = pytest.mark.integration

MODES = {
    "graph": {},
    "around": {"around": "金诃藏药", "depth": 1},
    "community": {"community": "红领宁商"},
    "community-planned": {"community": "绿色算力党建联盟"},
    "chain": {"chain": "启迪众创空间"},
    "type": {"types": ("University", "Company")},
    "predicate": {"predicates": ("memberOf", "plannedMemberOf")},
}
HONGLING = "https://w3id.org/park-kg/id/community/hongling-ningshang"
SAIQI = "https://w3id.org/park-kg/id/company/saiqi-shipin"


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM) or shutil.which("chromium") is None:
        msg = f"{CHROMIUM} missing: run bash scripts/system-deps.sh"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture(scope="module")
def pages(seed_store, tmp_path_factory):
    """mode -> (html path, View) on the seed graph."""
    from kg import views
    from kg.stores.embedded import EmbeddedStore

    store = EmbeddedStore(seed_store)
    out = tmp_path_factory.mktemp("views")
    return {
        mode: (out / f"{mode}.html", views.write_view(store, out / f"{mode}.html", **kw)) for mode, kw in MODES.items()
    }


class Loaded:
    """A page opened in its own context, with everything it logged and requested."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on(
            "console", lambda m: self.errors.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-ready]", state="attached", timeout=60_000)

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def until(self, expr: str, arg=None, timeout: float = 10.0):
        """Poll ``expr`` until truthy (the page's CSP forbids the eval behind wait_for_function)."""
        end = time.monotonic() + timeout
        while True:
            value = self.js(expr, arg)
            if value or time.monotonic() > end:
                return value
            self.page.wait_for_timeout(50)

    def close(self):
        self.context.close()


@pytest.fixture
def open_page(browser):
    opened: list[Loaded] = []

    def _open(path: Path) -> Loaded:
        opened.append(Loaded(browser, path))
        return opened[-1]

    yield _open
    for p in opened:
        p.close()


def _pixels(png: bytes) -> tuple[int, float]:
    """(distinct colours, share of non-white pixels) of a PNG."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    colours = img.getcolors(maxcolors=1 << 20) or []
    white = sum(c for c, rgb in colours if min(rgb) >= 250)
    return len(colours), 1 - white / (img.width * img.height)


def _assert_not_blank(png: bytes) -> None:
    colours, ink = _pixels(png)
    assert colours >= 16 and ink > 0.005, f"blank-looking screenshot: {colours} colours, {ink:.2%} non-white"


@pytest.mark.parametrize("mode", list(MODES))
def test_mode_loads_offline_with_the_graphs_counts(mode, pages, open_page, tmp_path):
    path, view = pages[mode]
    p = open_page(path)
    assert p.errors == []
    assert p.requests == [path.as_uri()]
    assert p.js("[kgView.nodes.length, kgView.edges.length]") == [len(view.nodes), len(view.edges)]
    assert p.js("kgView.nodes.getIds().sort()") == sorted(n["id"] for n in view.nodes)
    if mode == "graph":
        assert p.js("[kgView.nodes.length, kgView.edges.length]") == [70, 71]
        assert p.js("kgView.network.physics.physicsEnabled") is False  # stabilized, then stopped
    assert p.js("kgView.edges.get({filter: e => e.status === 'planned'}).every(e => e.dashes)") is True
    assert p.js("kgView.edges.get().every(e => e.quote && e.source)") is True
    shot = tmp_path / f"{mode}.png"
    p.page.locator("#kg-graph").screenshot(path=str(shot))
    _assert_not_blank(shot.read_bytes())


@pytest.mark.parametrize(
    "mode, typed",
    [
        ("graph", "金诃藏药"),
        ("around", "金诃藏药"),
        ("graph", "jinhe tibetan medicine"),
        ("graph", "金诃藏药集团有限公司"),
        ("graph", "金訶藏藥"),
    ],
)
def test_search_focuses_jinhe(mode, typed, pages, open_page):
    p = open_page(pages[mode][0])
    p.page.click("#kg-search")
    p.page.keyboard.type(typed, delay=20)
    p.page.wait_for_selector("#kg-results li.kg-current", timeout=10_000)  # the search ran (debounced)
    p.page.wait_for_selector(f'#kg-panel[data-id="{JINHE}"]', timeout=10_000)
    assert p.js("kgView.network.getSelectedNodes()") == [JINHE]
    assert "金诃藏药集团有限公司" in p.page.inner_text("#kg-panel") and "金诃藏药" in p.page.inner_text("#kg-results")
    centred = """id => { const v = kgView.network.getViewPosition(), n = kgView.network.getPositions([id])[id];
                  return Math.hypot(v.x - n.x, v.y - n.y) < 2; }"""
    assert p.until(centred, JINHE), "the view did not move to the node"
    assert p.errors == []


def _hover_edge(p: Loaded, edge_id: str) -> None:
    xy = p.js(
        """id => { const e = kgView.edges.get(id), pos = kgView.network.getPositions([e.from, e.to]);
                  const mid = {x: (pos[e.from].x + pos[e.to].x) / 2, y: (pos[e.from].y + pos[e.to].y) / 2};
                  const dom = kgView.network.canvasToDOM(mid);
                  const box = document.querySelector('#kg-graph').getBoundingClientRect();
                  return [box.left + dom.x, box.top + dom.y]; }""",
        edge_id,
    )
    p.page.mouse.move(xy[0] - 30, xy[1] - 30)
    p.page.mouse.move(xy[0], xy[1], steps=5)


def _hover_edge_until(p: Loaded, edge_id: str, selector: str):
    """Hover the edge until ``selector`` shows; hovers again if a brief physics pass (still settling
    on a loaded machine) moved the edge from under the mouse."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(4):
        _hover_edge(p, edge_id)
        try:
            return p.page.wait_for_selector(selector, state="visible", timeout=4_000)
        except PlaywrightTimeout:
            continue
    return p.page.wait_for_selector(selector, state="visible", timeout=4_000)


def _edge_tooltip(p: Loaded, edge_id: str):
    """The vis tooltip of an edge."""
    return _hover_edge_until(p, edge_id, "div.vis-tooltip")


@pytest.mark.parametrize(
    "mode, frm, to",
    [
        ("community", SAIQI, HONGLING),
        ("around", JINHE, "https://w3id.org/park-kg/id/qualification/keji-xiaojuren-qiye"),
        ("chain", "https://w3id.org/park-kg/id/incubator/shengke", "https://w3id.org/park-kg/id/accelerator/shibaoqu"),
    ],
)
def test_hovering_an_edge_shows_its_quote(mode, frm, to, pages, open_page):
    path, view = pages[mode]
    edge = next(e for e in view.edges if e["from"] == frm and e["to"] == to)
    p = open_page(path)
    _hover_edge_until(p, edge["id"], f'#kg-panel[data-kind="edge"][data-id="{edge["id"]}"]')
    panel = p.page.inner_text("#kg-panel")
    assert edge["quote"] in panel and edge["source"] in panel
    tooltip = _edge_tooltip(p, edge["id"])
    assert edge["quote"] in tooltip.inner_text()


def test_type_checkboxes_and_english_toggle(pages, open_page):
    p = open_page(pages["graph"][0])
    p.page.uncheck('#kg-legend input[data-type="University"]')
    hidden = p.js("kgView.nodes.get({filter: n => n.hidden}).map(n => n.name).sort()")
    assert hidden == sorted(["青海大学", "青海理工学院", "西宁城市职业技术学院"])
    assert p.js("kgView.edges.get({filter: e => e.hidden}).length") == 3  # their planned memberships
    p.page.check('#kg-legend input[data-type="University"]')
    assert p.js("kgView.nodes.get({filter: n => n.hidden}).length") == 0
    p.page.check("#kg-english")
    assert p.js(f"kgView.nodes.get('{JINHE}').label") == "Jinhe Tibetan Medicine\nGroup Co., Ltd."
    assert p.js(
        "kgView.edges.get({filter: e => e.predicate === 'plannedMemberOf'}).every(e => e.label === 'planned member of')"
    )
    p.page.uncheck("#kg-english")
    assert p.js(f"kgView.nodes.get('{JINHE}').label") == "金诃藏药集\n团有限公司"
    assert p.errors == []


def test_png_export(pages, open_page, tmp_path):
    p = open_page(pages["community"][0])
    with p.page.expect_download() as dl:
        p.page.click("#kg-png")
    out = tmp_path / "export.png"
    dl.value.save_as(out)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    _assert_not_blank(data)


@pytest.fixture(scope="module")
def hostile_pages(tmp_path_factory):
    from kg import views
    from kg.stores.embedded import EmbeddedStore

    root = tmp_path_factory.mktemp("hostile-browser")
    store = EmbeddedStore(build_hostile(root))
    return {
        name: (root / f"{name}.html", views.write_view(store, root / f"{name}.html", **kw))
        for name, kw in {"around": {"around": "company/xss"}, "graph": {}}.items()
    }


@pytest.mark.parametrize("mode", ["around", "graph"])
def test_markup_in_labels_and_quotes_stays_text(mode, hostile_pages, open_page, tmp_path):
    path, view = hostile_pages[mode]
    xss = "https://w3id.org/park-kg/id/company/xss"
    p = open_page(path)
    p.page.click("#kg-search")
    p.page.keyboard.type("坏公司")
    p.page.wait_for_selector(f'#kg-panel[data-id="{xss}"]', timeout=10_000)
    panel = p.page.inner_text("#kg-panel")
    assert HOSTILE in panel and HOSTILE_EN in panel
    edge = next(e for e in view.edges if e["from"] == xss)
    _hover_edge_until(p, edge["id"], f'#kg-panel[data-kind="edge"][data-id="{edge["id"]}"]')
    assert HOSTILE in p.page.inner_text("#kg-panel")
    tooltip = _edge_tooltip(p, edge["id"])
    assert HOSTILE in tooltip.inner_text() and tooltip.evaluate(
        "t => [...t.querySelectorAll('*')].every(c => c.tagName === 'BR')"
    )  # line breaks only
    if mode == "around":
        assert p.page.inner_text("#kg-title").startswith(HOSTILE)
    assert p.js("kgView.nodes.get('%s').name" % xss) == HOSTILE
    assert p.js("[window.__pwned, document.querySelectorAll('img, b').length, document.scripts.length]") == [None, 0, 3]
    assert p.dialogs == [] and p.errors == []
    assert p.requests == [path.as_uri()]
    shot = tmp_path / f"hostile-{mode}.png"
    p.page.screenshot(path=str(shot))
    _assert_not_blank(shot.read_bytes())


def test_pages_are_utf8_and_one_file(pages):
    for path, _ in pages.values():
        assert '<meta charset="utf-8">' in path.read_bytes().decode("utf-8")
    assert sorted(p.name for p in next(iter(pages.values()))[0].parent.iterdir()) == sorted(f"{m}.html" for m in MODES)


# ---- issue 15.10: views that stay readable ----------------------------------------------------

PARK = "https://w3id.org/park-kg/id/park/xining-shengwu-yuanqu"


def _labels(p: Loaded) -> dict[str, dict]:
    """Every edge label as vis-network last drew it: colour and box (canvas units)."""
    return p.js("""() => Object.fromEntries(Object.entries(kgView.network.body.edges).map(([id, e]) => {
                     const l = e.labelModule, b = l.lines[0] && l.lines[0].blocks[0];
                     return [id, {color: b ? b.color : null, box: l.size, text: b ? b.text : ''}]; }))""")


def test_hub_is_named_and_the_labels_around_it_do_not_overlap(pages, open_page):
    path, view = pages["graph"]
    p = open_page(path)
    park = p.js(f"kgView.nodes.get('{PARK}')")
    assert park["label"].replace("\n", "") == park["name"] == "西宁经济技术开发区生物科技产业园区"  # not its 简称 园区
    hub_edges = {e["id"] for e in view.edges if PARK in (e["from"], e["to"])}
    assert len(hub_edges) == 46 and all(e.get("hub") for e in view.edges if e["id"] in hub_edges)
    labels = _labels(p)
    assert all(labels[i]["color"] == "rgba(0,0,0,0)" for i in hub_edges)  # not drawn until hovered
    centre = p.js(f"kgView.network.getPositions(['{PARK}'])['{PARK}']")
    near = [
        lab["box"]
        for i, lab in labels.items()
        if i not in hub_edges
        and lab["text"]
        and math.dist((lab["box"]["left"], lab["box"]["top"]), (centre["x"], centre["y"])) < 400
    ]
    for a, b in itertools.combinations(near, 2):
        overlap = (
            min(a["left"] + a["width"], b["left"] + b["width"]) - max(a["left"], b["left"]) > 1
            and min(a["top"] + a["height"], b["top"] + b["height"]) - max(a["top"], b["top"]) > 1
        )
        assert not overlap, (a, b)
    edge = next(e for e in view.edges if e["id"] in hub_edges and e["predicate"] == "locatedIn")
    _hover_edge_until(p, edge["id"], f'#kg-panel[data-kind="edge"][data-id="{edge["id"]}"]')
    drawn = p.until(
        "id => { const b = kgView.network.body.edges[id].labelModule.lines[0].blocks[0]; return b.color !== "
        "'rgba(0,0,0,0)' && b; }",
        edge["id"],
    )
    assert drawn and drawn["color"] == "#222222" and drawn["strokeWidth"] >= 3 and drawn["text"] == edge["label_zh"]
    assert p.errors == []


def test_the_chain_stages_have_four_distinct_colours(pages, open_page):
    from test_views import delta_e

    p = open_page(pages["chain"][0])
    colours = p.js("""() => Object.fromEntries(kgView.nodes.get().map(n => [n.group,
                       kgView.network.groups.get(n.group).color.background]))""")
    assert set(colours) == {"MakerSpace", "Incubator", "Accelerator", "SciencePark"}
    assert min(delta_e(a, b) for a, b in itertools.combinations(colours.values(), 2)) >= 30
