"""Network analytics on the seed graph: the projection, kg analyze centrality|communities|bridges|compare, path --all.

Answers are asserted on the seed article's graph; planned memberships must stay planned in
every table, and the Bolt backend must give the same analytics as the embedded store.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from conftest import ROOT

from kg import analytics, queries
from kg.analytics import network
from kg.analytics.projection import in_effect, period_end, project
from kg.errors import KgError
from kg.queries import texts as q

PARK = "西宁经济技术开发区生物科技产业园区"
ALLIANCE = "西宁经济技术开发区生物科技产业园区绿色算力党建联盟"
HONGLING = "红领宁商党建共同体"
GWH = "生物园区管委会"
HONGLING_MEMBERS = {GWH, "西宁市生物园区商会", "青海塞奇食品有限公司", "青海大美中药科技有限公司"}
UNIVERSITIES = {"青海大学", "青海理工学院", "西宁城市职业技术学院"}


def _rows(report, table: int = 0):
    return report.tables[table].rows


def _by(rows, key):
    return {r[key]: r for r in rows}


# ---- the projection -------------------------------------------------------------------


def test_projection_keeps_planned_edges_planned_and_adds_isolated_organizations(store):
    rows = store.run(q.ALL_EDGES)
    full = project(rows)
    assert {d["status"] for _s, _o, d in full.edges(data=True)} == {"active", "planned"}
    for s, o, d in full.edges(data=True):
        assert (d["predicate"] == "plannedMemberOf") <= (d["status"] == "planned")
        assert d["quote"] and d["source"].endswith(".txt")
    uni = store.names.resolve("青海大学").iri
    today = network.load(store, "active")
    assert uni in today.simple and today.simple.degree(uni) == 0  # an organization with only planned links
    assert uni not in project(rows, {"active"})  # the bare projection has edges' ends only
    assert network.load(store, "planned").simple.degree(uni) == 1


def test_dates_of_memberships_match_the_membership_query(store):
    dated = {(r["s"], r["predicate"], r["o"], r["status"]): r["since"] for r in store.run(network.DATES)}
    for m in store.run(q.MEMBERSHIPS):
        pred = {"active": "org:memberOf", "planned": "plannedMemberOf", "ended": "formerMemberOf"}[m["status"]]
        assert dated.get((m["member"], pred, m["org"], m["status"])) == m["since"]
    alliance = store.names.resolve(ALLIANCE).iri
    park = store.names.resolve(PARK).iri
    assert dated[(alliance, "establishedIn", park, "planned")] == "2024"


def test_date_rule():
    assert period_end("2024-02") == "2024-02-29" and period_end("2023-02") == "2023-02-28"
    assert in_effect("active", "2024-06", "2024-06") and not in_effect("active", "2024-06", "2024-05-31")
    assert not in_effect("ended", "2020", "2030")
    for bad in ("2024-13", "24", "next year"):
        with pytest.raises(KgError, match="not a date"):
            period_end(bad)


# ---- centrality -----------------------------------------------------------------------


@pytest.mark.parametrize("measure", ["degree", "betweenness", "pagerank"])
def test_the_park_is_the_top_hub_by_every_measure(store, measure):
    rows = _rows(analytics.centrality(store, measure, top=5))
    assert rows[0]["name"] == PARK and rows[0]["rank"] == 1
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows == sorted(rows, key=lambda r: -r["score"])
    assert "implements→ 23 (5 planned)" in rows[0]["relations"]


def test_centrality_says_why(store):
    rows = _by(_rows(analytics.centrality(store, top=None)), "name")
    assert rows[HONGLING]["memberships"] == "has members: 4 active"
    assert rows[ALLIANCE]["memberships"] == "has members: 6 planned"
    assert rows[GWH]["memberships"] == f"member of {HONGLING} (active); {ALLIANCE} (planned)"
    assert rows[PARK]["neighbours"] == 46
    # the alliance holds the universities to the rest: without it they fall away one by one
    assert rows[ALLIANCE]["holds_together"] == f"6 parts: {PARK} and 55 more; 5 single entities"
    assert rows[GWH]["holds_together"] == ""


def test_today_the_community_is_the_second_broker_and_the_universities_are_unconnected(store):
    r = analytics.centrality(store, "betweenness", top=3, status="active")
    assert [x["name"] for x in _rows(r)[:2]] == [PARK, HONGLING]
    assert "active relations only" in r.notes[0]
    unis = _rows(analytics.centrality(store, type_="高等院校", status="active"))
    assert {x["name"] for x in unis} == UNIVERSITIES and all(x["neighbours"] == 0 for x in unis)
    unis = _rows(analytics.centrality(store, type_="University", status="planned"))
    assert all(x["neighbours"] == 1 and ALLIANCE in x["memberships"] for x in unis)


def test_sampled_betweenness_says_it_is_an_estimate(store):
    r = analytics.centrality(store, "betweenness", sample=10)
    assert any("estimated from 10 of" in n for n in r.notes)
    assert _rows(r)[0]["name"] == PARK


def test_pagerank_matches_networkx():
    import networkx as nx
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    from kg.analytics.ranking import pagerank

    g = nx.karate_club_graph()
    g.add_node("alone")
    ours, theirs = pagerank(g), _pagerank_python(g, weight="weight")
    assert max(abs(ours[v] - theirs[v]) for v in g) < 1e-9


def test_unknown_measure_and_status(store):
    with pytest.raises(KgError, match="unknown measure"):
        analytics.centrality(store, "closeness")
    with pytest.raises(KgError, match="unknown status"):
        analytics.centrality(store, status="ended")


# ---- communities ----------------------------------------------------------------------


def test_clusters_confirm_the_declared_groups(store):
    r = analytics.communities(store)
    clusters, declared, overlaps = (_rows(r, i) for i in range(3))
    d = _by(declared, "group")
    assert d[ALLIANCE]["verdict"] == "confirmed" and d[ALLIANCE]["together"] == "6 of 6"
    # counting planned memberships, 管委会 sits with the alliance: the community keeps 3 of its 4
    assert d[HONGLING]["verdict"] == "mostly" and d[HONGLING]["elsewhere"] == [f"{GWH} ({d[ALLIANCE]['cluster']})"]
    assert [o["organization"] for o in overlaps] == [GWH]
    assert overlaps[0]["groups"] == [f"{HONGLING} (active)", f"{ALLIANCE} (planned)"]
    assert sorted(overlaps[0]["group_clusters"]) == sorted([d[HONGLING]["cluster"], d[ALLIANCE]["cluster"]])
    c = _by(clusters, "cluster")
    assert set(c[d[ALLIANCE]["cluster"]]["members"]) >= UNIVERSITIES | {ALLIANCE}
    assert c["c1"]["hub"] == PARK


def test_today_the_community_is_confirmed_and_the_alliance_is_not_there(store):
    r = analytics.communities(store, status="active")
    assert [(x["group"], x["together"], x["verdict"]) for x in _rows(r, 1)] == [(HONGLING, "4 of 4", "confirmed")]
    assert _rows(r, 2) == []
    alone = next(n for n in r.notes if "no relation in this scope" in n)
    assert all(u in alone for u in UNIVERSITIES | {ALLIANCE})


def test_greedy_modularity_confirms_the_community_too(store):
    d = _by(_rows(analytics.communities(store, status="active", method="greedy"), 1), "group")
    assert d[HONGLING]["verdict"] == "confirmed"


# ---- bridges and paths ----------------------------------------------------------------


def test_the_community_and_the_alliance_are_bridged_by_the_committee_and_the_park(store):
    r = analytics.bridges(store, "红领宁商", "绿色算力党建联盟")
    conn = _by(_rows(r, 0), "name")
    assert set(conn) == {GWH, PARK}
    assert not any(c["essential"] for c in conn.values())  # two routes: neither is indispensable
    assert conn[GWH]["links"] == [f"org:memberOf→ {HONGLING}", f"plannedMemberOf (planned)→ {ALLIANCE}"]
    rels = _rows(r, 1)
    assert {(x["from"], x["relation"], x["status"]) for x in rels} == {
        (GWH, "org:memberOf", "active"),
        (GWH, "plannedMemberOf", "planned"),
        (HONGLING, "establishedIn", "active"),
        (ALLIANCE, "establishedIn", "planned"),
    }
    assert all(x["quote"] and x["source"] == "000_12437ccd38f279d8.txt" for x in rels)


def test_a_university_reaches_a_community_member_only_through_the_alliance(store):
    r = analytics.bridges(store, "青海大学", "青海塞奇食品有限公司", max_len=5)
    essential = {c["name"] for c in _rows(r, 0) if c["essential"]}
    assert essential == {ALLIANCE, HONGLING}
    assert any("planned" in n for n in r.notes)
    today = analytics.bridges(store, "青海大学", "青海塞奇食品有限公司", status="active")
    assert today.empty and "no connection" in today.notes[-1]
    with pytest.raises(KgError, match="same entity"):
        analytics.bridges(store, "红领宁商", HONGLING)


def test_all_shortest_paths_and_alternatives(store):
    r = analytics.every_path(store, "红领宁商", "绿色算力党建联盟")
    rows = _rows(r)
    assert sorted({x["path"] for x in rows}) == [1, 2]
    assert all(max(x["step"] for x in rows if x["path"] == p) == 2 for p in (1, 2))
    middles = {x["to"] if x["from"] == HONGLING else x["from"] for x in rows if x["step"] == 1}
    assert middles == {PARK, GWH}
    longer = _rows(analytics.every_path(store, "青海大学", "青海塞奇食品有限公司", max_len=5))
    assert sorted({x["path"] for x in longer}) == [1, 2]
    for p in (1, 2):  # each path is a chain from the university to the company
        hops = [x for x in longer if x["path"] == p]
        ends = [{h["from"], h["to"]} for h in hops]
        assert "青海大学" in ends[0] and "青海塞奇食品有限公司" in ends[-1]
        assert all(a & b for a, b in zip(ends, ends[1:]))
    assert _rows(analytics.every_path(store, "青海大学", "青海塞奇食品有限公司", max_len=3)) == []
    capped = analytics.every_path(store, "青海大学", "金诃藏药", max_len=6, limit=1)
    assert {x["path"] for x in _rows(capped)} == {1} and any("more than 1 paths" in n for n in capped.notes)


def test_all_paths_limit_is_exact():
    import networkx as nx

    from kg.analytics.paths import all_paths

    g = nx.MultiDiGraph()
    for mid in "pqr":
        for s, o in (("a", mid), (mid, "b")):
            g.add_edge(s, o, key=("x", "active"), predicate="x", status="active", quote="", source="")
    assert len(all_paths(g, "a", "b")) == 3
    assert len(all_paths(g, "a", "b", limit=2)) == 2
    assert all_paths(g, "a", "zzz") == [] and all_paths(g, "a", "a") == []


# ---- compare --------------------------------------------------------------------------


def test_compare_planned_brings_the_universities_into_the_parks_network(store):
    r = analytics.compare(store)
    summary = {x["measure"]: x for x in _rows(r, 0)}
    assert summary["connected pairs of organizations"]["before"] == 225
    assert summary["connected pairs of organizations"]["after"] == 366
    assert summary["organizations with a relation"]["change"] == 6
    changes = _rows(r, 1)
    assert {x["change"] for x in changes} == {"+"} and {x["status"] for x in changes} == {"planned"}
    joined = [x for x in _rows(r, 2) if x["change"] == "joins"]
    assert {x["organizations"][0] for x in joined} >= UNIVERSITIES | {ALLIANCE}
    assert all(x["network"].startswith(PARK) and "(planned)" in x["via"] for x in joined)
    brokers = _by(_rows(r, 3), "organization")
    assert brokers[ALLIANCE]["cut_point"] == "new" and brokers[ALLIANCE]["before"] == 0
    assert brokers[GWH]["after"] > brokers[GWH]["before"] == 0


def test_qinghai_university_reaches_hongling_members_only_through_planned_memberships(store):
    members = {x["member_name"] for x in _rows(queries.members(store, "红领宁商", "active"))}
    assert members == HONGLING_MEMBERS
    conn = _by(_rows(analytics.compare(store, org="青海大学"), 4), "organization")
    for m in members | {HONGLING}:
        assert conn[m]["change"] == "new" and conn[m]["before"] is None
        assert conn[m]["via"].startswith("青海大学 —plannedMemberOf (planned)→ ")
    # and today there is no path at all
    for m in members:
        assert queries.path(store, "青海大学", m, "active").empty


def test_compare_at_a_date_uses_the_dates(store):
    later = analytics.compare(store, at="2025")
    assert {x["relation"] for x in _rows(later, 1)} >= {"plannedMemberOf", "establishedIn"}
    assert len(_rows(later, 1)) == 9  # the 13 planned relations minus 4 undated plans
    assert any("4 planned one(s) are left out" in n for n in later.notes)
    before_june = analytics.compare(store, at="2024-05", status="active")
    gone = {(x["from"], x["relation"]) for x in _rows(before_june, 1)}
    assert {x["change"] for x in _rows(before_june, 1)} == {"−"}
    assert {(m, "org:memberOf") for m in HONGLING_MEMBERS} <= gone
    assert any(x["change"] == "cut off from" and HONGLING in x["organizations"] for x in _rows(before_june, 2))
    same = analytics.compare(store, status="active")
    assert _rows(same, 1) == [] and "no change" in same.notes[-1]
    with pytest.raises(KgError, match="not a date"):
        analytics.compare(store, at="June")
    with pytest.raises(KgError, match="active or planned"):
        analytics.compare(store, status="all")


# ---- the CLI --------------------------------------------------------------------------

COMMANDS = [
    ("analyze", "centrality", "--top", "3"),
    ("analyze", "centrality", "--measure", "betweenness", "--status", "active", "--top", "2"),
    ("analyze", "communities"),
    ("analyze", "bridges", "红领宁商", "绿色算力党建联盟"),
    ("analyze", "compare", "--org", "青海大学"),
    ("path", "红领宁商", "绿色算力党建联盟", "--all"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:3]) for a in COMMANDS])
def test_every_format(kg, args):
    table = kg(*args)
    assert table.exit_code == 0, table.output
    assert "──" in table.output and "Traceback" not in table.output
    data = json.loads(kg(*args, "--format", "json").output)
    rows = list(csv.DictReader(io.StringIO(kg(*args, "--format", "csv").output)))
    assert rows and data
    if args[1] == "centrality":
        assert data["centrality"][0]["name"] == PARK == rows[0]["name"]
    if args[1] == "compare":
        assert {r["table"] for r in rows} == {"summary", "changes", "joined", "brokers", "connections"}


def test_cli_table_output(kg):
    out = kg("analyze", "bridges", "红领宁商", "绿色算力党建联盟").output
    assert "连接者 / connectors" in out and GWH in out and "2 path(s) of 2 hop(s) (the shortest)" in out
    out = kg("analyze", "compare").output
    assert "connected pairs of" in out and "plannedMemberOf" in out


def test_cli_errors_are_one_line(kg):
    r = kg("analyze", "bridges", "红领宁", "绿色算力党建联盟")
    assert r.exit_code == 1 and r.output.startswith("Error: no entity named '红领宁'; did you mean")
    r = kg("analyze", "compare", "--at", "soon")
    assert r.exit_code == 1 and r.output.strip().count("\n") == 0
    assert kg("analyze", "compare", "--status", "all").exit_code == 2
    assert kg("analyze", "bridges", "青海大学", "青海塞奇食品有限公司", "--status", "active").exit_code == 1
    assert kg("path", "青海大学", "金诃藏药", "--all", "--status", "active").exit_code == 1


def _kg(*args: str, store) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", "--store", str(store), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )


def test_real_subprocess(seed_store):
    p = _kg("analyze", "compare", "--org", "青海大学", "--format", "json", store=seed_store)
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    reached = {x["organization"] for x in data["connections"] if x["before"] is None}
    assert HONGLING_MEMBERS <= reached
    p = _kg("analyze", "centrality", "--measure", "pagerank", "--top", "1", "--format", "csv", store=seed_store)
    assert p.returncode == 0 and p.stdout.splitlines()[1].startswith(f"1,{PARK},IndustrialPark,")
    p = _kg("analyze", "bridges", "青海大学", "nowhere", store=seed_store)
    assert p.returncode == 1 and p.stderr.startswith("Error: no entity named 'nowhere'") and "Traceback" not in p.stderr


def test_analyze_help_loads_no_networkx():
    code = (
        "import sys, json\nfrom kg.cli import cli\ntry:\n    cli(['analyze', 'compare', '--help'], prog_name='kg')\n"
        "except SystemExit:\n    pass\nprint(json.dumps('networkx' in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "Today's network" in out and out.strip().splitlines()[-1] == "false"


# ---- the Bolt backend gives the same analytics ------------------------------------------

from test_bolt import bolt, graphdb  # noqa: E402,F401  (a real FalkorDB holding the seed graph)

SAME = [
    (analytics.centrality, (), {"measure": "betweenness", "top": None}),
    (analytics.communities, (), {}),
    (analytics.bridges, ("青海大学", "青海塞奇食品有限公司"), {"max_len": 5}),
    (analytics.compare, (), {"at": "2025", "org": "青海大学", "limit": None}),
    (analytics.compare, (), {"at": "2024-05", "status": "active"}),
]


@pytest.mark.parametrize("fn,args,kwargs", SAME, ids=[f"{f.__name__}-{k}" for f, _a, k in SAME])
def test_same_answers_over_bolt(store, bolt, fn, args, kwargs):
    assert fn(bolt, *args, **kwargs).to_dict() == fn(store, *args, **kwargs).to_dict()


@pytest.mark.parametrize("statuses", [None, {"active"}])
def test_fast_path_bfs_agrees_with_the_shared_projection(store, statuses):
    """kg path's BFS over edges.json (kg.queries.shortest) is held to project() + networkx on every pair."""
    import networkx as nx

    from kg.queries.shortest import shortest_hops

    graph = project(store.run(q.ALL_EDGES), statuses=statuses)
    undirected = graph.to_undirected(as_view=True)
    nodes = sorted(graph.nodes)
    checked = 0
    for i, a in enumerate(nodes):
        lengths = nx.single_source_shortest_path_length(undirected, a)
        for b in nodes[i + 1 :: 3]:  # a third of the pairs keeps the test under a few seconds
            hops = shortest_hops(store, a, b, statuses)
            if b not in lengths:
                assert hops is None, (a, b)
                continue
            assert hops is not None and len(hops) == lengths[b], (a, b, hops)
            ends = [a]
            for h in hops:  # each hop is a real edge of the projection, with its own status and quote
                assert graph.has_edge(h["s"], h["o"], (h["predicate"], h["status"])), h
                assert h["quote"]
                ends.append(h["o"] if h["s"] == ends[-1] else h["s"])
            assert ends[-1] == b
            checked += 1
    assert checked > 300
