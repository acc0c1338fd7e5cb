"""`kg view` without a browser: what each mode selects on the seed graph, the page's safety, the layouts."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from kg.errors import KgError

JINHE = "https://w3id.org/park-kg/id/company/jinhe-zangyao"
HONGLING = "https://w3id.org/park-kg/id/community/hongling-ningshang"
ALLIANCE = "https://w3id.org/park-kg/id/alliance/lvse-suanli-dangjian-lianmeng"
HONGLING_NAMED = {"生物园区管委会", "西宁市生物园区商会", "青海大美中药科技有限公司", "青海塞奇食品有限公司"}
ALLIANCE_PLANNED = {"青海大学", "青海理工学院", "西宁城市职业技术学院", "青海大学科技园投资开发股份有限公司"}
CHAIN = ["启迪众创空间", "生科孵化器", "食保区加速器", "青年创业园", "青海大学科技园", "产业园"]
HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">\'坏公司&amp;'
HOSTILE_EN = '</script><b onmouseover="alert(1)">Evil & Co</b>'


def _names(v, ids):
    by = {n["id"]: n["name"] for n in v.nodes}
    return {by[i] for i in ids}


def test_whole_graph_is_the_projection(store):
    from kg import analytics, views
    from kg.queries import texts as q

    g = analytics.project(store.run(q.ALL_EDGES))
    v = views.view(store)
    assert {n["id"] for n in v.nodes} == set(g.nodes) and len(v.nodes) == g.number_of_nodes() == 70
    assert len(v.edges) == g.number_of_edges() == 71
    assert all(e["quote"] and e["source"] for e in v.edges)
    # every planned statement is drawn dashed and never as active
    planned = [e for e in v.edges if e["status"] == "planned"]
    assert planned and all(e["dashes"] for e in planned)
    assert sum(e["predicate"] == "plannedMemberOf" for e in v.edges) == 6
    # legend: one entry per class present, counts add up
    assert sum(t["count"] for t in v.legend) == 70
    assert {t["type"] for t in v.legend} == {n["group"] for n in v.nodes}
    park = next(n for n in v.nodes if n["name"] == "西宁经济技术开发区生物科技产业园区")
    assert v.options["groups"][park["group"]]["shape"] == "star"
    assert park["size"] == max(n["size"] for n in v.nodes)  # the park is the hub


def test_community_hongling_has_its_four_active_members_and_the_park(store):
    from kg import views

    v = views.view(store, community="红领宁商")
    members = [e for e in v.edges if e["to"] == HONGLING and e["predicate"] == "org:memberOf"]
    assert _names(v, [e["from"] for e in members]) == HONGLING_NAMED
    assert {e["status"] for e in members} == {"active"} and not any(e.get("dashes") for e in members)
    assert "西宁经济技术开发区生物科技产业园区" in {n["name"] for n in v.nodes}
    assert any("13 member units in total" in n and "names 4" in n for n in v.notes)
    assert v.focus == HONGLING and not v.options["physics"]["enabled"]
    centre = next(n for n in v.nodes if n["id"] == HONGLING)
    assert (centre["x"], centre["y"]) == (0.0, 0.0)


def test_community_alliance_members_are_planned_dashed_and_labelled(store):
    from kg import views

    v = views.view(store, community="绿色算力党建联盟")
    into = [e for e in v.edges if e["to"] == ALLIANCE and e["predicate"] in ("org:memberOf", "plannedMemberOf")]
    assert ALLIANCE_PLANNED <= _names(v, [e["from"] for e in into])
    assert {e["status"] for e in into} == {"planned"}
    assert all(e["dashes"] and "计划" in e["label_zh"] and "planned" in e["label_en"] for e in into)
    assert not any(e["predicate"] == "org:memberOf" for e in into)


def test_chain_is_laid_out_left_to_right(store):
    from kg import views

    v = views.view(store, chain="生科孵化器")
    by_x = sorted(v.nodes, key=lambda n: n["x"])
    assert [n["name"] for n in by_x] == CHAIN
    assert len({n["y"] for n in v.nodes}) == 1
    assert [(e["predicate"], e["status"]) for e in v.edges] == [("nextInChain", "active")] * 5
    assert v.focus == "https://w3id.org/park-kg/id/incubator/shengke"


def test_around_jinhe_depth_one(store):
    from kg import views

    v = views.view(store, around="金诃藏药", depth=1)
    assert {n["name"] for n in v.nodes} == {
        "金诃藏药集团有限公司",
        "省级科技小巨人企业",
        "新型研发机构",
        "西宁经济技术开发区生物科技产业园区",
    }
    assert {e["predicate"] for e in v.edges} == {"certifiedAs", "locatedIn"}
    assert v.focus == JINHE
    wider = views.view(store, around="金诃藏药", depth=2)
    assert len(wider.nodes) > len(v.nodes)


def test_type_and_predicate_filters(store):
    from kg import views

    unis = views.view(store, types=("高等院校",))
    assert {n["name"] for n in unis.nodes} == ALLIANCE_PLANNED - {"青海大学科技园投资开发股份有限公司"}
    both = views.view(store, types=("University,Company",))
    assert {n["group"] for n in both.nodes} == {"University", "Company"}
    planned = views.view(store, predicates=("plannedMemberOf",))
    assert len(planned.edges) == 6 and {e["status"] for e in planned.edges} == {"planned"}
    members = views.view(store, predicates=("memberOf", "plannedMemberOf"))
    assert len(members.edges) == 10
    active = views.view(store, predicates=("memberOf,plannedMemberOf",), status="active")
    assert {e["predicate"] for e in active.edges} == {"org:memberOf"} and len(active.edges) == 4


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"predicates": ("worksWith",)}, "no relation named worksWith"),
        ({"types": ("Spaceship",)}, "unknown type 'Spaceship'"),
        ({"community": "金诃藏药"}, "has no members"),
        ({"chain": "金诃藏药"}, "not a chain"),
        ({"around": "金诃藏药", "chain": "孵化链"}, "choose one of"),
        ({"around": "金诃"}, "did you mean"),
        ({"max_nodes": 20}, "more than the 20"),
    ],
)
def test_user_errors(store, kwargs, message):
    from kg import views

    with pytest.raises(KgError, match=message):
        views.view(store, **kwargs)


def test_page_is_self_contained(store):
    from kg import views

    page = views.to_html(views.view(store))
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(script|img|iframe|link)[^>]*\s(src|href)\s*=", page, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", page, re.I)
    assert "cdnjs" not in page and "jsdelivr" not in page and "unpkg" not in page
    assert "bootstrap" not in page
    assert "Content-Security-Policy" in page and "connect-src 'none'" in page
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S).group(1))
    assert len(data["nodes"]) == 70 and len(data["edges"]) == 71


def test_safe_json_cannot_close_the_script_block():
    from kg.views.page import safe_json

    text = safe_json({"a": "</script><!-- \u2028 & <b>"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028 & <b>"}


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    """The seed graph plus a company whose names and quote are markup and quotes."""
    return build_hostile(tmp_path_factory.mktemp("hostile"))


def build_hostile(root: Path) -> Path:
    import shutil

    from conftest import SEED_STEM, SEEDS

    from kg.build import build

    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    src = seeds / "sources" / f"{SEED_STEM}.txt"
    src.write_text(src.read_text(encoding="utf-8") + f"\n{HOSTILE}落户园区。\n", encoding="utf-8")
    facts = seeds / "facts" / f"{SEED_STEM}.yaml"
    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731  (YAML accepts JSON strings)
    entity = (
        f"  - id: company/xss\n    type: Company\n    name: {q(HOSTILE)}\n    name_en: {q(HOSTILE_EN)}\n"
        f"    quote: {q(HOSTILE + '落户园区')}\n"
    )
    relation = (
        f"  - subject: company/xss\n    predicate: locatedIn\n    object: park/xining-shengwu-yuanqu\n"
        f"    quote: {q(HOSTILE + '落户园区')}\n"
    )
    text = (
        facts.read_text(encoding="utf-8")
        .replace("entities:\n", "entities:\n" + entity, 1)
        .replace("relations:\n", "relations:\n" + relation, 1)
    )
    facts.write_text(text, encoding="utf-8")
    build(seeds / "facts", root / "store")
    return root / "store"


def test_hostile_names_are_escaped_in_the_html(hostile_store):
    from kg import views
    from kg.stores.embedded import EmbeddedStore

    v = views.view(EmbeddedStore(hostile_store), around="company/xss")
    assert HOSTILE in {n["name"] for n in v.nodes}
    page = views.to_html(v)
    for bad in ("<script>window", "<img src=x", "</script><b", 'onerror="'):
        assert bad not in page
    assert page.count("</script>") == 3  # the data block, vis-network and ours: nothing else closes a script
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page  # the <title>/<h1>, HTML-escaped


def test_pyvis_network_holds_the_view(store):
    from kg import views

    v = views.view(store, community="红领宁商")
    net = views.to_network(v)
    assert type(net).__name__ == "Network"
    assert net.num_nodes() == len(v.nodes) and net.num_edges() == len(v.edges)
    assert net.get_node(HONGLING)["label"] == "红领宁商党建共同体"
    assert net.options["physics"]["enabled"] is False


def test_cli_writes_the_page(kg, tmp_path):
    out = tmp_path / "v.html"
    r = kg("view", "--community", "红领宁商", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert f"wrote {out}" in r.stdout and "7 entities" in r.stdout and "13 member units" in r.stdout
    page = out.read_text(encoding="utf-8")
    assert "红领宁商党建共同体" in page and '<meta charset="utf-8">' in page


def test_cli_errors(kg, tmp_path):
    r = kg("view", "--around", "金诃藏药", "--chain", "孵化链", "-o", str(tmp_path / "x.html"))
    assert r.exit_code == 2
    r = kg("view", "--community", "金诃藏药", "-o", str(tmp_path / "x.html"))
    assert r.exit_code == 1 and r.output.count("\n") == 1 and "has no members" in r.output
    assert not (tmp_path / "x.html").exists()


def test_synthetic_graph_through_the_library(tmp_path):
    """The benchmark's graphs draw through the same API: every node placed, the park hub largest."""
    import importlib.util

    from conftest import ROOT

    from kg import views

    spec = importlib.util.spec_from_file_location("bench_views", ROOT / "scripts" / "bench_views.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    g, entities = bench.synthetic(1200)
    v = views.draw(g, entities, relations=bench.RELATIONS)
    assert len(v.nodes) == 1200 and len(v.edges) == g.number_of_edges()
    assert not v.options["physics"]["enabled"] and v.options["interaction"]["hideEdgesOnDrag"]
    xy = {(n["x"], n["y"]) for n in v.nodes}
    assert len(xy) > 1190 and all(math.isfinite(x) and math.isfinite(y) for x, y in xy)
    assert views.to_network(v).num_nodes() == 1200


def _mean_edge_and_pair_distance(g, pos):
    import itertools

    d = lambda a, b: math.dist(pos[a], pos[b])  # noqa: E731
    edge = sum(d(a, b) for a, b in g.edges()) / g.number_of_edges()
    nodes = list(g)[:200]
    pairs = list(itertools.combinations(nodes, 2))
    return edge, sum(d(a, b) for a, b in pairs) / len(pairs)


@pytest.mark.parametrize("n", [60, 2000])
def test_layout_puts_neighbours_closer_than_strangers(n):
    """Both layouts (networkx spring below 400 nodes, the mesh layout above) keep edges short."""
    import networkx as nx

    from kg.views import layout

    g = nx.connected_watts_strogatz_graph(n, 4, 0.05, seed=3)
    pos = layout.layout(g)
    edge, pair = _mean_edge_and_pair_distance(g, pos)
    assert edge < pair / 4
    assert len({pos[v] for v in g}) == n


def test_shells_and_rows():
    from kg.views import layout

    pos = layout.shells([["c"], ["a", "b", "d"], ["p"]])
    assert pos["c"] == (0.0, 0.0)
    r1 = {round(math.dist((0, 0), pos[x])) for x in "abd"}
    assert len(r1) == 1 and math.dist((0, 0), pos["p"]) > r1.pop()
    assert layout.rows([["x", "y"], ["z"]]) == {"x": (0.0, 0.0), "y": (225.0, 0.0), "z": (0.0, 225.0)}


def test_import_views_package_is_light():
    import subprocess
    import sys

    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import kg.views, sys; print(sorted(m for m in ('pyvis','networkx','numpy') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]"


def delta_e(c1: str, c2: str) -> float:
    """CIEDE2000 colour difference of two #rrggbb colours (sRGB, D65)."""

    def lab(c: str) -> tuple[float, float, float]:
        lin = [
            (v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4)
            for v in (int(c[i : i + 2], 16) / 255 for i in (1, 3, 5))
        ]
        r, g, b = lin
        xyz = (
            (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
            0.2126 * r + 0.7152 * g + 0.0722 * b,
            (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
        )
        fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz)
        return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)

    (l1, a1, b1), (l2, a2, b2) = lab(c1), lab(c2)
    cb = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(cb**7 / (cb**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1)) % 360, math.degrees(math.atan2(b2, a2)) % 360
    dh = 0.0 if c1p * c2p == 0 else (h2 - h1 + 180) % 360 - 180
    dH = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lb, cbp = (l1 + l2) / 2, (c1p + c2p) / 2
    hb = (
        h1 + h2
        if c1p * c2p == 0
        else (h1 + h2) / 2
        if abs(h1 - h2) <= 180
        else (h1 + h2 + 360) / 2
        if h1 + h2 < 360
        else (h1 + h2 - 360) / 2
    )
    t = (
        1
        - 0.17 * math.cos(math.radians(hb - 30))
        + 0.24 * math.cos(math.radians(2 * hb))
        + 0.32 * math.cos(math.radians(3 * hb + 6))
        - 0.20 * math.cos(math.radians(4 * hb - 63))
    )
    sl = 1 + 0.015 * (lb - 50) ** 2 / math.sqrt(20 + (lb - 50) ** 2)
    sc, sh = 1 + 0.045 * cbp, 1 + 0.015 * cbp * t
    rt = -math.sin(math.radians(60 * math.exp(-(((hb - 275) / 25) ** 2)))) * 2 * math.sqrt(cbp**7 / (cbp**7 + 25**7))
    dl, dc = (l2 - l1) / sl, (c2p - c1p) / sc
    return math.sqrt(dl**2 + dc**2 + (dH / sh) ** 2 + rt * dc * (dH / sh))


def test_delta_e_matches_published_values():
    assert round(delta_e("#ff0000", "#00ff00"), 1) == 86.6  # red/green, as colormath and skimage give it
    assert delta_e("#1f77b4", "#1f77b4") == 0


def test_palette_types_can_be_told_apart():
    import itertools

    from kg.views.style import CLASS_STYLES

    styles = {k: v for k, v in CLASS_STYLES.items() if k != "Chain"}  # Chain is IncubationChain's other name
    for (a, (ca, sa)), (b, (cb, sb)) in itertools.combinations(styles.items(), 2):
        d = delta_e(ca, cb)
        assert d >= (20 if sa == sb else 8), f"{a} {ca} and {b} {cb} ({sa}/{sb}) are only ΔE {d:.1f} apart"
    stages = ["MakerSpace", "Incubator", "Accelerator", "SciencePark"]
    assert min(delta_e(styles[a][0], styles[b][0]) for a, b in itertools.combinations(stages, 2)) >= 30


def test_legend_is_documented_with_the_palette():
    from conftest import ROOT

    from kg.views.style import CLASS_STYLES

    doc = (ROOT / "docs" / "how-to" / "views.md").read_text(encoding="utf-8")
    for name, (colour, shape) in CLASS_STYLES.items():
        assert re.search(rf"\|\s*`{name}`[^\n]*\|\s*`{colour}`\s*\|\s*{shape}\s*\|", doc), (
            f"{name} {colour} {shape} not in the legend table"
        )


def test_hub_is_labelled_by_its_name_and_its_relations_on_hover(store):
    from kg import views

    v = views.view(store)
    park = next(
        n for n in v.nodes if n["group"] == "IndustrialPark" and n["degree"] == max(m["degree"] for m in v.nodes)
    )
    assert park["label_zh"] == "西宁经济技术开发区\n生物科技产业园区"  # not 园区: the graph has three parks
    others = {n["name"]: n["label_zh"].replace("\n", "") for n in v.nodes}
    assert (
        others["西宁经济技术开发区生物科技产业园区绿色算力党建联盟"] == "绿色算力党建联盟"
    )  # a long name: its longest 简称
    assert sum(bool(e.get("hub")) for e in v.edges) == 46 == park["degree"]
    assert v.clusters == [] and v.options["edges"]["font"]["background"]


def test_nearest_park_groups_and_splits_big_parks():
    import networkx as nx

    from kg.views import cluster

    g = nx.MultiDiGraph()
    g.add_edges_from([("a", "P"), ("b", "a"), ("c", "Q"), ("b", "c"), ("d", "c"), ("lone", "x")])
    assert cluster.nearest_park(g, ["P", "Q"]) == {
        "P": "P",
        "Q": "Q",
        "a": "P",
        "c": "Q",
        "b": "P",
        "d": "Q",
    }  # b: a tie, P first
    nodes = [
        {
            "id": v,
            "group": "IndustrialPark" if v in "PQ" else "Company",
            "degree": g.degree(v),
            "name": v,
            "name_en": None,
            "x": float(i),
            "y": 0.0,
        }
        for i, v in enumerate(g)
    ]
    groups = cluster.group(g, nodes, {})
    assert [c["id"] for c in groups] == [
        "cluster:P",
        "cluster:Q",
    ]  # lone and x (two companies): below MIN_GROUP, drawn as they are
    assert {n["id"]: n["cluster"] for n in nodes} == {
        "P": "cluster:P",
        "a": "cluster:P",
        "b": "cluster:P",
        "Q": "cluster:Q",
        "c": "cluster:Q",
        "d": "cluster:Q",
        "lone": None,
        "x": None,
    }
    cluster.place(nodes, groups)
    assert all(math.isfinite(n["x"]) for n in nodes)
