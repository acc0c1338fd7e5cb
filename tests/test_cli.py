"""Every query command on the seed graph, in table and json, with asserted answers."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT

HONGLING_NAMED = {"生物园区管委会", "西宁市生物园区商会", "青海大美中药科技有限公司", "青海塞奇食品有限公司"}
ALLIANCE_PLANNED = {"青海大学", "青海理工学院", "西宁城市职业技术学院", "青海大学科技园投资开发股份有限公司"}
CHAIN = ["启迪众创空间", "生科孵化器", "食保区加速器", "青年创业园", "青海大学科技园", "产业园"]


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_members_of_hongling_are_active_and_total_is_13(kg):
    data = _json(kg("members", "红领宁商", "--format", "json"))
    assert data["subject"]["name"] == "红领宁商党建共同体"
    assert {m["member_name"] for m in data["members"]} == HONGLING_NAMED
    assert {m["status"] for m in data["members"]} == {"active"}
    assert all(m["quote"] and m["source"] for m in data["members"])
    assert any("13 member units in total" in n and "names 4" in n for n in data["notes"])


def test_members_table_shows_total_note(kg):
    r = kg("members", "红领宁商")
    assert r.exit_code == 0
    assert "青海塞奇食品有限公司" in r.stdout and "13 member units in total" in r.stdout


def test_planned_members_of_green_computing_alliance(kg):
    data = _json(kg("members", "绿色算力党建联盟", "--status", "planned", "--format", "json"))
    names = {m["member_name"] for m in data["members"]}
    assert ALLIANCE_PLANNED <= names
    assert {m["status"] for m in data["members"]} == {"planned"}


def test_alliance_has_no_active_members(kg):
    r = kg("members", "绿色算力党建联盟", "--status", "active")
    assert r.exit_code == 1  # no result
    assert "planned member(s) not shown" in r.stdout


def test_qinghai_university_membership_is_planned_never_active(kg):
    data = _json(kg("memberships", "青海大学", "--format", "json"))
    assert [(m["org_name"], m["status"]) for m in data["memberships"]] == [
        ("西宁经济技术开发区生物科技产业园区绿色算力党建联盟", "planned")
    ]
    r = kg("memberships", "青海大学", "--status", "active")
    assert r.exit_code == 1


def test_chain_from_first_stage_prints_six_stages_in_order(kg):
    data = _json(kg("chain", "启迪众创空间", "--format", "json"))
    assert [s["name"] for s in data["stages"]] == CHAIN
    assert [s["position"] for s in data["stages"]] == [1, 2, 3, 4, 5, 6]
    table = kg("chain", "启迪众创空间").stdout
    rows = [line.split()[:2] for line in table.splitlines() if line[:1].isdigit()]
    assert rows == [[str(i), n] for i, n in enumerate(CHAIN, 1)]


def test_path_from_qinghai_university_to_jinhe_has_evidence(kg):
    data = _json(kg("path", "青海大学", "金诃藏药", "--format", "json"))
    hops = data["path"]
    assert hops[0]["from"] == "青海大学" and hops[0]["relation"] == "plannedMemberOf" and hops[0]["status"] == "planned"
    names = {h["from"] for h in hops} | {h["to"] for h in hops}
    assert "金诃藏药集团有限公司" in names
    assert all(h["quote"] for h in hops)
    assert any("planned" in n for n in data["notes"])


def test_path_with_active_relations_only_finds_none_for_the_university(kg):
    r = kg("path", "青海大学", "金诃藏药", "--status", "active")
    assert r.exit_code == 1 and "no path" in r.stdout


def test_show_entity_with_relations_and_evidence(kg):
    data = _json(kg("show", "金诃藏药", "--format", "json"))
    assert data["subject"]["matched_by"] == "alias"
    assert {"relation": "locatedIn", "other": "西宁经济技术开发区生物科技产业园区"}.items() <= next(
        r for r in data["relations"] if r["relation"] == "locatedIn"
    ).items()
    assert {r["other"] for r in data["relations"] if r["relation"] == "certifiedAs"} >= {"新型研发机构"}
    assert all(r["quote"] for r in data["relations"])
    assert "Company" in {t["type"] for t in data["types"]}


def test_show_park_lists_indicators_with_units_and_qualifiers(kg):
    data = _json(kg("show", "生物园区", "--format", "json"))
    by_metric = {i["value"]: i for i in data["indicators"]}
    assert by_metric[3530]["unit"] == "人"
    assert by_metric[33.13]["unit"] == "亿元" and by_metric[33.13]["qualifier"] == "约"
    assert by_metric[409]["unit"] == "件"


def test_related_lists_neighbours_with_direction(kg):
    data = _json(kg("related", "红领宁商", "--format", "json"))
    incoming = {r["entity"] for r in data["related"] if r["direction"] == "<-" and r["relation"] == "org:memberOf"}
    assert incoming == HONGLING_NAMED
    assert any(r["direction"] == "->" and r["relation"] == "establishedIn" for r in data["related"])


def test_related_predicate_filter_and_depth(kg):
    one = _json(kg("related", "青海大学", "--predicate", "plannedMemberOf", "--format", "json"))["related"]
    assert {r["entity"] for r in one} == {"西宁经济技术开发区生物科技产业园区绿色算力党建联盟"}
    two = _json(kg("related", "青海大学", "--predicate", "plannedMemberOf", "--depth", "2", "--format", "json"))[
        "related"
    ]
    assert ALLIANCE_PLANNED <= {r["entity"] for r in two} | {r["from"] for r in two}


def test_orgs_by_type_and_in_park(kg):
    unis = _json(kg("orgs", "--type", "University", "--format", "json"))["orgs"]
    assert {o["name"] for o in unis} == {"青海大学", "青海理工学院", "西宁城市职业技术学院"}
    assert {o["name"] for o in _json(kg("orgs", "--type", "高等院校", "--format", "json"))["orgs"]} == {
        o["name"] for o in unis
    }
    inside = {o["name"] for o in _json(kg("orgs", "--in", "园区", "--format", "json"))["orgs"]}
    assert "金诃藏药集团有限公司" in inside and "青海大学" not in inside
    everything = _json(kg("orgs", "--format", "json"))["orgs"]
    assert len(everything) >= 30 and all(o["type"] for o in everything)


def test_orgs_unknown_type_lists_known_ones(kg):
    r = kg("orgs", "--type", "Spaceship")
    assert r.exit_code == 1 and "known types:" in r.output and "University" in r.output


def test_stats_counts(kg):
    data = _json(kg("stats", "--format", "json"))
    classes = {c["class"]: c["count"] for c in data["classes"]}
    assert classes["org:Membership"] == 10 and classes["park:University"] == 3
    assert classes["park:Evidence"] > 50
    predicates = {c["predicate"]: c["count"] for c in data["predicates"]}  # prefixed, as classes are (issue 15.9)
    assert (
        predicates["rdf:type"] > 100
        and "park:quote" in predicates
        and not any(p.startswith("http") for p in predicates)
    )


def test_csv_format(kg):
    r = kg("members", "红领宁商", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert {row["member_name"] for row in rows} == HONGLING_NAMED


@pytest.mark.parametrize(
    "name,expected",
    [
        ("金诃藏药", "金诃藏药集团有限公司"),  # 简称
        ("生物园区", "西宁经济技术开发区生物科技产业园区"),  # alias
        ("Qinghai University", "青海大学"),  # English label
        ("qinghai university", "青海大学"),
        ("“红领宁商”党建共同体", "红领宁商党建共同体"),  # quotes inside the name
        ("紅領寧商黨建共同體", "红领宁商党建共同体"),  # traditional
        ("青海 大学", "青海大学"),  # spaces
        ("university/qinghai-daxue", "青海大学"),  # id
        ("https://w3id.org/park-kg/id/university/qinghai-daxue", "青海大学"),  # IRI
    ],
)
def test_name_resolution(kg, name, expected):
    assert _json(kg("show", name, "--format", "json"))["subject"]["name"] == expected


def test_unknown_name_gets_suggestions_and_exit_1(kg):
    r = kg("members", "红领宁")
    assert r.exit_code == 1
    assert "no entity named '红领宁'" in r.output and "红领宁商" in r.output
    assert "Traceback" not in r.output


def test_usage_error_exits_2(kg):
    assert kg("members").exit_code == 2
    assert kg("members", "红领宁商", "--format", "xml").exit_code == 2


def test_missing_store_is_one_line(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    r = CliRunner().invoke(cli, ["--store", str(tmp_path / "none"), "members", "红领宁商"])
    assert r.exit_code == 1
    assert "run `kg build` first" in r.output and "Traceback" not in r.output


def test_real_subprocess_members(seed_store):
    env = {**os.environ, "KG_STORE": str(seed_store)}
    p = subprocess.run(
        [sys.executable, "-m", "kg.cli", "members", "红领宁商", "--format", "json"],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert p.returncode == 0, p.stderr.decode()
    data = json.loads(p.stdout.decode("utf-8"))
    assert {m["member_name"] for m in data["members"]} == HONGLING_NAMED


def test_real_subprocess_build_and_unknown_name(tmp_path):
    store = tmp_path / "store"
    env = {**os.environ, "KG_STORE": str(store)}
    p = subprocess.run([sys.executable, "-m", "kg.cli", "build"], capture_output=True, env=env, cwd=ROOT, timeout=300)
    assert p.returncode == 0, p.stderr.decode()
    assert "built" in p.stdout.decode() and "triples" in p.stdout.decode()
    p = subprocess.run(
        [sys.executable, "-m", "kg.cli", "show", "no-such-org"], capture_output=True, env=env, cwd=ROOT, timeout=60
    )
    assert p.returncode == 1 and b"Traceback" not in p.stderr and b"no entity named" in p.stderr


@pytest.mark.parametrize(
    "args,expected",
    [
        (("orgs", "--type", "University"), ["青海大学", "高等院校"]),
        (("show", "金诃藏药"), ["== 关系 / relations", "locatedIn", "园区金诃藏药集团有限公司"]),
        (("members", "红领宁商"), ["青海塞奇食品有限公司", "13 member units in total"]),
        (("memberships", "青海大学"), ["planned", "绿色算力党建"]),
        (("related", "红领宁商"), ["<-", "org:memberOf", "establishedIn"]),
        (("path", "青海大学", "金诃藏药"), ["plannedMemberOf", "locatedIn", "planned (not yet active)"]),
        (("chain", "启迪众创空间"), ["1         启迪众创空间", "6         产业园"]),
        (("stats",), ["org:Membership", "park:University"]),
    ],
)
def test_each_command_in_table_format(kg, args, expected):
    r = kg(*args)
    assert r.exit_code == 0, r.output
    for text in expected:
        assert text in r.stdout, (text, r.stdout[:2000])


def test_show_csv_names_each_column_once(kg):
    """Issue 15.9: `kg show … --format csv` had the column role twice."""
    import csv
    import io

    r = kg("show", "青海大学", "--format", "csv")
    header = next(csv.reader(io.StringIO(r.output)))
    assert len(header) == len(set(header)) and "role" in header
    data = _json(
        kg("show", "红领宁商", "--format", "json")
    )  # the table had it twice too, the direction lost under the role
    assert {(m["relation"], m["role"]) for m in data["memberships"]} == {("has member", "基层党组织")}


def test_related_says_a_predicate_filter_hid_a_planned_membership(kg):
    """Issue 15.9: `kg related 青海大学 --predicate memberOf` said nothing of the planned membership."""
    r = kg("related", "青海大学", "--predicate", "memberOf")
    assert r.exit_code == 1 and "(none)" in r.stdout
    assert (
        "not shown: 1 planned plannedMemberOf relation(s); see with: kg related 青海大学 --predicate plannedMemberOf"
        in r.stdout
    )
    shown = _json(kg("related", "青海大学", "--predicate", "plannedMemberOf", "--format", "json"))
    assert [(x["relation"], x["status"]) for x in shown["related"]] == [
        ("plannedMemberOf", "planned")
    ] and "notes" not in shown


def test_work_commands_report_json(kg, seed_store, tmp_path):
    """Issue 15.9: --format json on build, extract, view (push and graphdb status: test_terminal, test_bolt)."""
    from click.testing import CliRunner

    from kg.cli import cli

    built = _json(
        CliRunner().invoke(
            cli, ["--store", str(tmp_path / "store"), "build", "--facts", str(ROOT / "seeds/facts"), "--format", "json"]
        )
    )
    assert built["built"] is True and built["counts"]["entities"] == 70 and built["store"] == str(tmp_path / "store")
    again = _json(
        CliRunner().invoke(
            cli, ["--store", str(tmp_path / "store"), "build", "--facts", str(ROOT / "seeds/facts"), "--format", "json"]
        )
    )
    assert again["built"] is False
    view = _json(kg("view", "-o", str(tmp_path / "v.html"), "--community", "红领宁商", "--format", "json"))
    assert view["output"] == str(tmp_path / "v.html") and (tmp_path / "v.html").is_file()
    said = kg(
        "view", "-o", str(tmp_path / "v.html"), "--community", "红领宁商"
    ).stdout  # the summary people read, same figures
    assert f"— {view['entities']} entities, {view['relations']} relations" in said and view["entities"] >= 5
    article = sorted((ROOT / "seeds/sources").glob("*.txt"))[0]
    ex = _json(kg("extract", str(article), "--facts", str(ROOT / "seeds/facts"), "--format", "json"))
    assert (
        ex["counts"]["known"] > 0
        and ex["candidates"].startswith(("#", "source", "extraction"))
        and ex["output"] is None
    )


def test_help_gives_each_command_its_whole_summary():
    """Issue 15.9: `kg --help` cut command summaries at the terminal's width ("..."); now they wrap."""
    from click.testing import CliRunner

    from kg.cli import cli

    for args in (["--help"], ["graphdb", "--help"], ["neo4j", "--help"]):
        r = CliRunner().invoke(cli, args, terminal_width=80)
        assert r.exit_code == 0 and "..." not in r.output.split("Commands:")[1], r.output
    assert "An ordered chain (e.g. the incubation chain), given the chain" in " ".join(
        CliRunner().invoke(cli, ["--help"], terminal_width=80).output.split()
    )


def test_shell_completion_offers_entity_names(seed_store):
    """Issue 15.9: completion (documented in the CLI how-to) completes entity names from the built store."""
    env = {
        **os.environ,
        "KG_STORE": str(seed_store),
        "COMP_WORDS": "kg members 红领",
        "COMP_CWORD": "2",
        "_KG_COMPLETE": "bash_complete",
    }
    r = subprocess.run([sys.executable, "-m", "kg.cli"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert "plain,红领宁商党建共同体" in r.stdout.splitlines(), r.stdout + r.stderr
    env["KG_STORE"] = str(seed_store.parent / "no-such-store")
    r = subprocess.run([sys.executable, "-m", "kg.cli"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert r.returncode == 0 and "Traceback" not in r.stderr and "红领" not in r.stdout


def test_an_empty_members_answer_says_where_to_look(kg):
    """Issue 15.9: `kg members 青海大学` was a bare (none); a university has no members, but memberships."""
    r = kg("members", "青海大学")
    assert r.exit_code == 1 and "(none)" in r.output
    assert "kg memberships 青海大学" in r.output


def test_graphdb_status_reports_json(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    r = CliRunner().invoke(cli, ["graphdb", "status", "--dir", str(tmp_path), "--format", "json"])
    assert r.exit_code == 1 and json.loads(r.stdout) == {"running": False, "stale": None}
