"""`kg sparql` and the query library on the seed graph: answers, formats, refusals, errors, timeout."""

from __future__ import annotations

import csv
import io
import json
import socket
import subprocess
import sys

import pytest
from conftest import ROOT

RQ = ROOT / "queries" / "sparql"
HONGLING_NAMED = {"生物园区管委会", "西宁市生物园区商会", "青海大美中药科技有限公司", "青海塞奇食品有限公司"}
ALLIANCE = "西宁经济技术开发区生物科技产业园区绿色算力党建联盟"
ALLIANCE_PLANNED = {
    "青海大学",
    "青海理工学院",
    "西宁城市职业技术学院",
    "青海大学科技园投资开发股份有限公司",
    "生物园区管委会",
    "园区信息技术企业党组织",
}
CHAIN = ["启迪众创空间", "生科孵化器", "食保区加速器", "青年创业园", "青海大学科技园", "产业园"]
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p1 ?o1 . ?b ?p2 ?o2 . ?c ?p3 ?o3 . ?d ?p4 ?o4 . ?e ?p5 ?o5 }"


def rows(result) -> list[dict[str, str]]:
    """The bindings of a SPARQL 1.1 results JSON answer as plain {var: value} rows."""
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def run_rq(kg, name: str, *args: str, replace: tuple[str, str] | None = None):
    text = (RQ / name).read_text(encoding="utf-8")
    if replace:
        assert replace[0] in text
        text = text.replace(*replace)
    return kg("sparql", text, "--format", "json", *args)


# ---------------------------------------------------------------------------- the query library

ANSWERED = set()


def answers(name):
    ANSWERED.add(name)
    return lambda f: f


@answers("members.rq")
def test_members_of_hongling_are_the_four_named_active(kg):
    got = rows(run_rq(kg, "members.rq"))
    assert {r["member"] for r in got} == HONGLING_NAMED
    assert {r["status"] for r in got} == {"active"}
    assert all(r["since"] == "2024-06" and r["role"] == "基层党组织" for r in got)
    assert all("13个基层党组织为成员单位" in r["quote"] and r["source"] == "000_12437ccd38f279d8.txt" for r in got)


def test_members_rq_takes_another_name_and_keeps_planned_planned(kg):
    got = rows(run_rq(kg, "members.rq", replace=('"红领宁商"@zh', '"绿色算力党建联盟"@zh')))
    assert {r["member"] for r in got} == ALLIANCE_PLANNED
    assert {r["status"] for r in got} == {"planned"}


@answers("memberships-by-status.rq")
def test_planned_and_active_memberships_are_apart(kg):
    got = {(r["organization"], r["status"]): r for r in rows(run_rq(kg, "memberships-by-status.rq"))}
    assert set(got) == {("红领宁商党建共同体", "active"), (ALLIANCE, "planned")}
    active, planned = got["红领宁商党建共同体", "active"], got[ALLIANCE, "planned"]
    assert (active["n"], active["memberOf_links"]) == ("4", "4")
    assert (planned["n"], planned["memberOf_links"]) == ("6", "0")  # planned never becomes org:memberOf
    assert set(planned["members"].split("、")) == ALLIANCE_PLANNED


@answers("orgs-by-type.rq")
def test_organizations_by_type(kg):
    got = {r["type"]: r for r in rows(run_rq(kg, "orgs-by-type.rq"))}
    assert got["University"]["type_zh"] == "高等院校"
    assert set(got["University"]["names"].split("、")) == {"青海大学", "青海理工学院", "西宁城市职业技术学院"}
    assert got["Company"]["n"] == "8" and "金诃藏药集团有限公司" in got["Company"]["names"].split("、")
    assert got["PartyBuildingCommunity"]["names"] == "红领宁商党建共同体"
    assert "Mechanism" not in got and "Qualification" not in got  # not organizations


@answers("universities.rq")
def test_universities_connect_to_the_park_only_through_the_planned_alliance(kg):
    got = rows(run_rq(kg, "universities.rq"))
    assert {r["university"] for r in got} == {"青海大学", "青海理工学院", "西宁城市职业技术学院"}
    for r in got:
        assert (r["how"], r["through"], r["through_to_park"]) == (
            "member (planned)",
            ALLIANCE,
            "establishedIn (planned)",
        )


@answers("incubation-chain.rq")
def test_incubation_chain_has_six_stages_in_order(kg):
    got = rows(run_rq(kg, "incubation-chain.rq"))
    assert [r["stage"] for r in got] == CHAIN
    assert [r["position"] for r in got] == ["1", "2", "3", "4", "5", "6"]
    assert got[0]["type"] == "MakerSpace" and got[1]["type"] == "Incubator" and got[2]["type"] == "Accelerator"


@answers("qualifications.rq")
def test_companies_with_qualifications(kg):
    got = {(r["company"], r["relation"], r["qualification"]): r for r in rows(run_rq(kg, "qualifications.rq"))}
    assert set(got) == {
        ("金诃藏药集团有限公司", "certifiedAs", "新型研发机构"),
        ("金诃藏药集团有限公司", "certifiedAs", "省级科技小巨人企业"),
        ("偏转光电", "appliesFor", "高新技术企业"),
        ("阿夏曼巴", "appliesFor", "科技型企业"),
    }
    assert got["金诃藏药集团有限公司", "certifiedAs", "省级科技小巨人企业"]["since"] == "2024"
    assert "被认定为青海省首家新型研发机构" in got["金诃藏药集团有限公司", "certifiedAs", "新型研发机构"]["quote"]


@answers("indicators.rq")
def test_indicators_with_units_and_periods(kg):
    got = rows(run_rq(kg, "indicators.rq"))
    assert len(got) == 19
    by_metric = {r["metric"]: r for r in got}
    checks = by_metric["体检人数"]
    assert (float(checks["value"]), checks["unit"], checks["period"], checks["start"], checks["end"]) == (
        3530,
        "人",
        "2024年上半年",
        "2024-01-01",
        "2024-06-30",
    )
    business = by_metric["各类业务办理量"]
    assert (float(business["value"]), business["unit"], business["qualifier"]) == (10000, "件", "余")
    assert (
        by_metric["落地工业项目总投资"]["qualifier"] == "约"
        and float(by_metric["落地工业项目总投资"]["value"]) == 33.13
    )
    assert "qualifier" not in checks  # exact figures carry no qualifier


@answers("from-sentence.rq")
def test_statements_derived_from_a_sentence(kg):
    got = rows(run_rq(kg, "from-sentence.rq"))
    kinds = {}
    for r in got:
        kinds.setdefault(r["kind"], set()).add(r["statement"])
    assert kinds["membership"] == {f"{m} memberOf 红领宁商党建共同体" for m in HONGLING_NAMED}
    assert kinds["relation"] == {"红领宁商党建共同体 implements 六联工作机制"}
    assert kinds["indicator"] == {"红领宁商党建共同体 成员单位（基层党组织）数 = 13个"}
    assert "mentions 红领宁商党建共同体" in kinds["entity"]
    assert {r["status"] for r in got if r["kind"] == "membership"} == {"active"}
    # a sentence elsewhere in the article gives other statements
    other = rows(
        run_rq(
            kg,
            "from-sentence.rq",
            replace=(
                "“红领宁商”党建共同体吸纳",
                "金诃藏药已成功认定为2024年省级科技小巨人企业”。“红领宁商”党建共同体吸纳",
            ),
        )
    )
    assert "金诃藏药集团有限公司 certifiedAs 省级科技小巨人企业" in {r["statement"] for r in other}


@answers("untyped.rq")
def test_entities_without_a_specific_type(kg):
    got = rows(run_rq(kg, "untyped.rq"))
    assert {r["entity"] for r in got} == {"东方美谷", "光大健康", "泰康人寿"}
    assert {r["types"] for r in got} == {"org:Organization"}
    assert all("does not say what kind of body" in r["note"] for r in got)


def test_every_rq_file_has_a_question_and_an_asserted_answer():
    files = {p.name for p in RQ.glob("*.rq")}
    assert files == ANSWERED
    for p in RQ.glob("*.rq"):
        assert p.read_text(encoding="utf-8").startswith("# Question: "), p.name


def test_rq_file_in_a_real_subprocess(seed_store):
    """`kg sparql -f FILE --format csv` as an analyst runs it."""
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "kg.cli",
            "--store",
            str(seed_store),
            "sparql",
            "-f",
            str(RQ / "incubation-chain.rq"),
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    got = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [g["stage"] for g in got] == CHAIN


def test_query_from_stdin_in_a_subprocess(seed_store):
    r = subprocess.run(
        [sys.executable, "-m", "kg.cli", "--store", str(seed_store), "sparql", "-"],
        input='ASK { ?u a park:University ; skos:prefLabel "青海大学"@zh }',
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert (r.returncode, r.stdout.strip()) == (0, "true"), r.stderr


# ---------------------------------------------------------------------------- prefixes, graphs, formats


def test_table_output_compacts_iris_with_the_project_prefixes(kg):
    r = kg("sparql", 'SELECT ?t ?u WHERE { ?u skos:prefLabel "青海大学"@zh ; a ?t }')
    assert r.exit_code == 0
    assert r.stdout.splitlines()[2].startswith("park:University  id:university/qinghai-daxu")  # long cells wrap


def test_own_prefix_overrides_the_predeclared_one(kg):
    q = "PREFIX park: <http://example.org/other#> SELECT ?u WHERE { ?u a park:University }"
    assert kg("sparql", q).exit_code == 1  # no answer: park: now means something else
    assert (
        len(
            rows(
                kg(
                    "sparql",
                    q.replace("http://example.org/other#", "https://w3id.org/park-kg/ontology#"),
                    "--format",
                    "json",
                )
            )
        )
        == 3
    )


@pytest.mark.parametrize(
    "graph",
    [
        "xnbio-2024-07a",
        "id:doc/xnbio-2024-07a",
        "https://w3id.org/park-kg/id/doc/xnbio-2024-07a",
        "<https://w3id.org/park-kg/id/doc/xnbio-2024-07a>",
        "000_12437ccd38f279d8.txt",
    ],
)
def test_graph_restricts_to_one_source_document(kg, store, graph):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    doc = store.select(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/park-kg/id/doc/xnbio-2024-07a> { ?s ?p ?o } }"
    )[0]["n"]
    union = int(rows(kg("sparql", q, "--format", "json"))[0]["n"])
    restricted = int(rows(kg("sparql", q, "--graph", graph, "--format", "json"))[0]["n"])
    assert restricted == doc < union  # the union also holds the ontology graph
    assert kg("sparql", "ASK { ?c a owl:Class }", "--graph", graph).stdout.strip() == "false"


def test_unknown_graph_lists_the_documents(kg):
    r = kg("sparql", "ASK { ?s ?p ?o }", "--graph", "nope")
    assert r.exit_code == 1 and "no source document 'nope'" in r.output and "xnbio-2024-07a" in r.output


def test_select_formats(kg):
    q = 'SELECT ?m WHERE { ?c skos:altLabel "红领宁商"@zh ; org:hasMember/skos:prefLabel ?m } ORDER BY ?m'
    data = json.loads(kg("sparql", q, "--format", "json").stdout)
    assert data["head"]["vars"] == ["m"]
    assert data["results"]["bindings"][0]["m"] == {
        "type": "literal",
        "value": sorted(HONGLING_NAMED)[0],
        "xml:lang": "zh",
    }
    assert set(kg("sparql", q, "--format", "csv").stdout.split()) == {"m"} | HONGLING_NAMED
    tsv = kg("sparql", q, "--format", "tsv").stdout.splitlines()
    assert tsv[0] == "?m" and {line.strip('"').removesuffix('"@zh') for line in tsv[1:]} == HONGLING_NAMED
    xml = kg("sparql", q, "--format", "xml").stdout
    assert "sparql-results#" in xml and all(n in xml for n in HONGLING_NAMED)


def test_ask_formats(kg):
    assert kg("sparql", "ASK { ?s org:memberOf ?o }").stdout.strip() == "true"
    assert json.loads(kg("sparql", "ASK { ?s a park:Nothing }", "--format", "json").stdout) == {
        "head": {},
        "boolean": False,
    }


@pytest.mark.parametrize(
    "fmt,rdflib_format", [("turtle", "turtle"), ("jsonld", "json-ld"), ("nt", "nt"), ("rdfxml", "xml")]
)
def test_construct_formats_parse(kg, fmt, rdflib_format):
    import rdflib

    q = "CONSTRUCT { ?u a park:University ; skos:prefLabel ?n } WHERE { ?u a park:University ; skos:prefLabel ?n }"
    r = kg("sparql", q, "--format", fmt)
    assert r.exit_code == 0, r.output
    g = rdflib.Graph().parse(data=r.stdout, format=rdflib_format)
    assert len(g) == 6
    assert rdflib.Literal("青海大学", lang="zh") in set(g.objects())


def test_describe_defaults_to_turtle(kg):
    r = kg("sparql", "DESCRIBE <https://w3id.org/park-kg/id/company/jinhe-zangyao>")
    assert r.exit_code == 0 and "金诃藏药集团有限公司" in r.stdout and "@prefix park:" in r.stdout


def test_format_must_fit_the_query_form(kg):
    r = kg("sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--format", "turtle")
    assert r.exit_code == 1 and "use --format table|json" in r.output
    r = kg("sparql", "CONSTRUCT WHERE { ?s a park:University }", "--format", "csv")
    assert r.exit_code == 1 and "returns a graph" in r.output


# ---------------------------------------------------------------------------- errors and refusals


def test_syntax_error_reports_line_and_column(kg):
    r = kg("sparql", "SELECT ?x WHERE {\n  ?x a park:Company .\n  FILTER(?x = ) }")
    assert r.exit_code == 1
    assert r.output.startswith("Error: line 3, column ") and "expected" in r.output
    assert len(r.output.strip().splitlines()) == 1 and "Traceback" not in r.output


def test_undeclared_prefix_is_named(kg):
    r = kg("sparql", "SELECT * WHERE { ?s foo:bar ?o }")
    assert r.exit_code == 1 and "line 1, column" in r.output and "undeclared prefix foo:" in r.output


def test_slash_in_a_prefixed_name_gets_a_hint(kg):
    r = kg("sparql", "SELECT * WHERE { id:company/jinhe-zangyao ?p ?o }")
    assert r.exit_code == 1 and "cannot contain '/'" in r.output
    assert kg("sparql", "SELECT * WHERE { id:company\\/jinhe-zangyao ?p ?o }").exit_code == 0


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "PREFIX x: <urn:x#>\nDELETE WHERE { ?s ?p ?o }",
        "DROP ALL",
        "LOAD <http://example.org/x.ttl>",
    ],
)
def test_update_is_refused(kg, update):
    r = kg("sparql", update)
    assert r.exit_code == 1 and "SPARQL Update is refused" in r.output


def test_service_is_refused_unless_allowed(kg):
    q = "SELECT * WHERE { SERVICE <http://127.0.0.1:%d/sparql> { ?s ?p ?o } }"
    r = kg("sparql", q % 9)
    assert r.exit_code == 1 and "SERVICE is refused" in r.output
    escaped = "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    assert "SERVICE is refused" in kg("sparql", escaped).output
    with socket.socket() as s:  # a port nobody listens on: the call is really attempted and fails
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = kg("sparql", q % port, "--allow-service")
    assert r.exit_code == 1 and "refused" in r.output.lower() and "SERVICE is refused" not in r.output


def test_keywords_inside_strings_iris_and_names_are_not_refused(kg):
    from kg.sparql import check

    q = (
        'PREFIX ex: <http://ex.org/SERVICE/> SELECT ?s WHERE { ?s ?p "INSERT SERVICE" . ?s ex:Service ?service } '
        "# SERVICE"
    )
    assert check(q).form == "SELECT" and not check(q).uses_service
    assert check("SELECT * WHERE { ?s ?p ?o .SERVICE <http://x> { } }", allow_service=True).uses_service


def test_expensive_query_is_stopped_at_the_timeout(kg):
    r = kg("sparql", CARTESIAN, "--timeout", "1")
    assert r.exit_code == 1 and "ran longer than 1 s and was stopped" in r.output


def test_no_store_is_one_line(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    r = CliRunner().invoke(cli, ["--store", str(tmp_path / "none"), "sparql", "ASK {}"])
    assert r.exit_code == 1 and "run `kg build` first" in r.output


def test_query_argument_and_file_are_exclusive(kg):
    assert kg("sparql").exit_code == 2
    assert kg("sparql", "ASK {}", "-f", str(RQ / "members.rq")).exit_code == 2


# ---------------------------------------------------------------------------- the runner


def test_runner_replaces_a_killed_worker_and_follows_a_rebuild(seeds_copy, tmp_path):
    from kg.build import build
    from kg.sparql import QueryRunner, QueryTimeout, Request, ResultTooLarge

    store = tmp_path / "store"
    build(seeds_copy / "facts", store)
    ask = Request("ASK { ?u a park:University }", "json", "ASK")
    with QueryRunner(store, workers=1, timeout=1) as runner:
        assert runner.run(ask).boolean is True
        with pytest.raises(QueryTimeout):
            runner.run(Request(CARTESIAN, "json", "SELECT"))
        assert runner.run(ask).boolean is True  # a new worker answers
        with pytest.raises(ResultTooLarge):
            runner.run(Request("SELECT * WHERE { ?s ?p ?o }", "json", "SELECT", max_rows=10))
        assert runner.run(Request("SELECT * WHERE { ?s ?p ?o } LIMIT 10", "json", "SELECT", max_rows=10)).count == 10
        first = next(store.glob("gen-*"))
        build(seeds_copy / "facts", store, force=True)
        build(seeds_copy / "facts", store, force=True)  # the generation the worker had open is removed
        assert not first.exists()
        assert runner.run(ask).boolean is True


def test_a_worker_outlives_the_thread_that_asked_for_it(seed_store):
    """Servers answer from short-lived threads; their workers must not die with those threads."""
    import threading

    from kg.sparql import QueryRunner, Request

    ask = Request("ASK { ?u a park:University }", "json", "ASK")
    answers = []
    with QueryRunner(seed_store, workers=1, timeout=30) as runner:
        t = threading.Thread(target=lambda: answers.append(runner.run(ask).boolean))
        t.start()
        t.join()
        answers.append(runner.run(ask).boolean)  # the same worker, after its first caller's thread ended
        answers.append(len(runner._live))
    assert answers == [True, True, 1]
