"""kg.Graph (issue 14.5): the Python API answers what the CLI prints, because the CLI asks it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from test_bolt import graphdb  # noqa: F401  (the running local FalkorDB holding the seed graph)

from kg.cli import cli
from kg.render import render

HEAVY = ["neo4j", "pyvis", "networkx", "rdflib", "jieba", "pyshacl", "falkordb", "pyoxigraph"]

# (Graph method, its arguments, the same question on the command line)
SAME = [
    ("members", ("红领宁商",), {}, ["members", "红领宁商"]),
    ("members", ("绿色算力党建联盟",), {"status": "planned"}, ["members", "绿色算力党建联盟", "--status", "planned"]),
    ("memberships", ("青海大学",), {}, ["memberships", "青海大学"]),
    ("related", ("青海大学",), {"predicates": ("memberOf",)}, ["related", "青海大学", "--predicate", "memberOf"]),
    ("path", ("青海大学", "金诃藏药"), {}, ["path", "青海大学", "金诃藏药"]),
    ("chain", ("孵化链",), {}, ["chain", "孵化链"]),
    ("orgs", (), {"type_": "University"}, ["orgs", "--type", "University"]),
    ("show", ("金诃藏药",), {}, ["show", "金诃藏药"]),
    ("stats", (), {}, ["stats"]),
    (
        "centrality",
        (),
        {"measure": "betweenness", "top": 5},
        ["analyze", "centrality", "--measure", "betweenness", "--top", "5"],
    ),
    ("communities", (), {}, ["analyze", "communities"]),
    ("bridges", ("青海大学", "红领宁商"), {}, ["analyze", "bridges", "青海大学", "红领宁商"]),
    ("compare", (), {"org": "青海大学"}, ["analyze", "compare", "--org", "青海大学"]),
]


@pytest.fixture(scope="module")
def graph(seed_store):
    import kg

    with kg.Graph(seed_store) as g:
        yield g


@pytest.mark.parametrize("method,args,kwargs,cli_args", SAME, ids=[" ".join(s[3]) for s in SAME])
def test_graph_answers_what_the_cli_prints(graph, seed_store, method, args, kwargs, cli_args):
    report = getattr(graph, method)(*args, **kwargs)
    for fmt in ("json", "table"):
        r = CliRunner().invoke(cli, ["--store", str(seed_store), *cli_args, "--format", fmt], catch_exceptions=False)
        assert r.stdout == render(report, fmt) + "\n"
        assert r.exit_code == (1 if report.empty else 0)


def test_planned_membership_is_never_active_in_the_api(graph):
    rows = graph.memberships("青海大学").tables[0].rows
    assert [(m["org_name"], m["status"]) for m in rows] == [
        ("西宁经济技术开发区生物科技产业园区绿色算力党建联盟", "planned")
    ]
    assert graph.memberships("青海大学", "active").empty


def test_sparql_and_view(graph, tmp_path):
    assert graph.sparql("ASK { ?o a park:University }").tables[0].rows == [{"result": True}]
    rows = (
        graph.sparql("SELECT ?n WHERE { ?o a park:University ; skos:prefLabel ?n FILTER(LANG(?n) = 'zh') } ORDER BY ?n")
        .tables[0]
        .rows
    )
    assert [r["n"] for r in rows] == sorted(r["name"] for r in graph.orgs(type_="University").tables[0].rows)
    v = graph.view(community="红领宁商")
    assert v.title and {n["label"] for n in v.nodes} >= {"红领宁商党建共同体", "生物园区管委会"}
    written = graph.view(tmp_path / "v.html", community="红领宁商")
    assert (tmp_path / "v.html").read_text(encoding="utf-8").count("生物园区管委会") and len(written.nodes) == len(
        v.nodes
    )


def test_cypher_through_the_local_server(graphdb, seed_store):  # noqa: F811
    import kg

    with kg.Graph(seed_store) as g:
        r = g.cypher(
            "MATCH (o)-[:MEMBER_OF]->(c) RETURN o.name_zh AS member ORDER BY member",
            uri=graphdb.bolt_uri,
            engine="falkordb",
        )
    assert {row["member"] for row in r.tables[0].rows} == {
        m["member_name"] for m in g.members("红领宁商").tables[0].rows
    }
    env = {"KG_GRAPHDB_DIR": graphdb.data_dir, "NEO4J_URI": graphdb.bolt_uri}
    load = CliRunner().invoke(cli, ["--store", str(seed_store), "neo4j", "load", "--format", "json"], env=env)
    assert load.exit_code == 0 and json.loads(load.stdout)["nodes"] > 0  # issue 15.9: --format json on neo4j load


def test_unknown_name_is_a_kg_error_with_suggestions(graph):
    from kg.errors import KgError

    with pytest.raises(KgError, match="红领宁商"):
        graph.members("红领宁")


def test_import_kg_graph_stays_light():
    """`kg.Graph` is imported on first use, and importing it loads no store or graph library."""
    code = "import kg, sys, json\nassert 'kg.api' not in sys.modules\nkg.Graph\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    mods = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "kg.api" in mods and not {m for m in HEAVY if m in mods}


def test_one_name_given_as_a_string_is_one_name(graph):
    """predicates="memberOf" in a notebook asks what --predicate memberOf asks, not for eight one-letter relations."""
    assert graph.related("青海大学", predicates="plannedMemberOf") == graph.related(
        "青海大学", predicates=("plannedMemberOf",)
    )
    v = graph.view(types="University", predicates="plannedMemberOf,memberOf")
    assert {n["group"] for n in v.nodes} == {"University"}
