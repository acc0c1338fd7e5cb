"""分别 (kg.extract.respectively): n organizations paired with n bodies in order, with their status and quote."""

from __future__ import annotations

import pytest

from kg.extract import extract_text
from tests.membership_helpers import candidate_pairs, memberships

A, B, C = "宁波瑞丰精密机械有限公司", "杭州星河光电科技股份有限公司", "温州东港电气有限公司"
X, Y, Z = "甬江数字经济产业联盟", "甬江绿色能源产业联盟", "甬江海洋装备产业联盟"


def _respectively(raw: str) -> set[tuple[str, str]]:
    """The pairs proposed with the ``respectively`` feature."""
    return {k for k, p in candidate_pairs(raw).items() if "respectively" in p.features}


def test_respectively_pairs_the_members_with_the_bodies_in_order():
    raw = (f"会上，长三角新材料、生物医药、人工智能3个产业链联盟揭牌，分别以{A}、{B}、{C}为首任联盟理事长单位。"
           "新材料产业链联盟汇聚了众多企业。生物医药产业链联盟成立。人工智能产业链联盟成立。")
    got = {(m, b) for m, b, _ in memberships(raw)}
    assert {(A, "新材料产业链联盟"), (B, "生物医药产业链联盟"), (C, "人工智能产业链联盟")} <= got
    assert not {m for m, b in got if b == "产业链联盟"}  # 分别: each its own, not the kind they share


@pytest.mark.parametrize("raw", [
    f"{X}、{Y}分别以{A}、{B}为理事长单位。",
    f"{X}和{Y}揭牌，分别由{A}、{B}担任理事长单位。",
    f"{A}、{B}分别加入{X}和{Y}。",  # the rules alone gave both X
    f"{X}与{Y}分别由{A}与{B}牵头组建。",  # the founders
    f"在杭州市工商业联合会的指导下，{X}和{Y}揭牌，分别以{A}、{B}为理事长单位。",  # a third body, clauses away
])
def test_plain_respectively_wordings_pair_each_member_with_its_body(raw):
    assert memberships(raw) == {(A, X, "active"), (B, Y, "active")}


@pytest.mark.parametrize("raw", [
    f"{X}和{Y}拟于下月揭牌，分别由{A}、{B}担任理事长单位。",
    f"{X}和{Y}计划于年内成立，分别以{A}、{B}为理事长单位。",
    f"{A}、{B}将分别加入{X}和{Y}。",
    f"宁波市数字经济、绿色能源2个产业联盟拟于下月揭牌，分别由{A}、{B}担任理事长单位。"  # bodies by a shared head
    "宁波市数字经济产业联盟筹备组成立。宁波市绿色能源产业联盟筹备组成立。",
])
def test_an_intent_said_of_the_bodies_makes_the_respective_pairs_planned(raw):
    got = {(m, b[-8:], s) for m, b, s in memberships(raw)}
    assert got == {(A, "数字经济产业联盟", "planned"), (B, "绿色能源产业联盟", "planned")}


@pytest.mark.parametrize(("raw", "present"), [
    # one body next to 分别: both join it
    (f"杭州市工商业联合会主办的大会上，{X}揭牌，分别以{A}、{B}为理事长单位和副理事长单位。", {(A, X), (B, X)}),
    (f"{A}、{B}参加了签约仪式，随后嘉宾分别为{X}、{Y}揭牌。", set()),  # 分别: the guests', not A and B's
    (f"杭州市经济和信息化局、杭州市科学技术局领导出席活动，并分别为{X}、{Y}揭牌。", set()),
])
def test_respectively_pairs_only_the_lists_next_to_it(raw, present):
    assert _respectively(raw) == set()
    got = {(m, b) for m, b, _ in memberships(raw)}
    assert present <= got
    assert not got & {(A, Y), (B, Y), (A, "杭州市工商业联合会")}


@pytest.mark.parametrize("raw", [
    f"{X}、{Y}分别与{A}、{B}签订了技术合作协议。",
    f"{X}和{Y}分别调研了{A}、{B}。",
    f"{X}、{Y}分别为{A}、{B}授予了示范企业称号。",  # 分别为: not a list of members
    f"{A}、{B}分别冠名了{X}和{Y}的创新大赛。",
    f"{A}和{B}分别协办{X}、{Y}的年度峰会。",
    f"{X}和{Y}的理事会分别在{A}、{B}召开。",
])
def test_respectively_with_no_word_of_membership_states_no_membership(raw):
    assert {(A, X), (B, Y)} <= _respectively(raw)  # still a feature of the pair for the model
    assert not {(m, b) for m, b, s in memberships(raw) if s != "planned"} & {(A, X), (B, Y)}


@pytest.mark.parametrize("raw", [
    f"{A}、{B}分别申请加入{X}和{Y}。",
    f"{A}、{B}目前分别正在申请加入{X}、{Y}。",
    f"{A}和{B}分别向{X}、{Y}提交了入会申请。",
    f"{A}、{B}分别被提名为{X}和{Y}的理事单位。",
    f"{A}、{B}分别申请成为{X}和{Y}的成员单位。",
    f"{A}、{B}分别申报{X}、{Y}的常务理事单位。",
    f"{X}、{Y}分别推荐{A}、{B}为会员单位。",
    f"{X}和{Y}分别邀请{A}、{B}入盟。",
])
def test_applications_nominations_and_invitations_respectively_are_planned_once(raw):
    assert memberships(raw) == {(A, X, "planned"), (B, Y, "planned")}


@pytest.mark.parametrize("raw", [
    f"{A}、{B}分别成为{X}、{Y}的理事单位，{A}同时加入了{Z}。",
    f"{X}、{Y}分别以{A}、{B}为理事长单位，{A}也是{Z}的会员单位。",
])
def test_a_rules_pair_in_another_clause_of_a_respective_sentence_is_kept(raw):
    assert {(A, X, "active"), (B, Y, "active"), (A, Z, "active")} <= memberships(raw)


@pytest.mark.parametrize("raw", [
    f"{A}加入了{Z}，{A}、{B}还分别成为{X}、{Y}的会员单位。",  # the list does not run on into the clause before
    f"{C}是{Z}的会员，{A}、{B}也分别加入{X}和{Y}。",
])
def test_the_members_before_respectively_are_the_list_of_its_own_clause(raw):
    assert {(A, X), (B, Y)} <= {(m, b) for m, b, _ in memberships(raw)}
    assert not {(m, b) for m, b, _ in memberships(raw)} & {(A, Y), (B, X), (C, X), (C, Y)}


def test_respectively_needs_as_many_members_as_bodies():
    bodies = "宁波市数字经济产业联盟", "宁波市绿色能源产业联盟"
    after = f"{bodies[0]}成立。{bodies[1]}成立。"
    two = f"会上，宁波市数字经济、绿色能源2个产业联盟揭牌，分别以{A}、{B}为理事长单位。" + after
    assert _respectively(two) == {(A, bodies[0]), (B, bodies[1])}
    three = f"会上，宁波市数字经济、绿色能源2个产业联盟揭牌，分别以{A}、{B}、{C}为理事长单位。" + after
    assert _respectively(three) == set()  # three for two: which goes where is not said


def test_the_quote_of_a_respective_pair_names_the_body_respectively_and_the_member():
    raw = f"今年以来，{X}和{Y}先后揭牌，分别由{A}、{B}担任理事长单位。"
    data, _ = extract_text(raw, "t").candidates()
    names = {e["id"]: e["name"] for e in data["entities"]}
    quotes = {(names[m["member"]], names[m["organization"]]): m["quote"] for m in data["memberships"]}
    assert set(quotes) == {(A, X), (B, Y)}
    for (member, body), quote in quotes.items():
        assert member in quote and body in quote and "分别" in quote and quote in raw


def test_a_long_respective_list_pairs_each_member_with_its_own_body_however_far():
    # member k to body k: more than a quote's length for the middle ones, which had been left to the rules (all to X1)
    trades = ["新能源", "生物医药", "数字经济", "智能装备", "海洋经济", "新材料", "电子信息", "绿色化工",
              "精密制造", "节能环保", "现代物流", "文化创意", "集成电路", "航空航天"]
    members = [f"宁波{t}科技有限公司" for t in trades]
    bodies = [f"甬江{t}产业联盟" for t in trades]
    raw = f"近日，{'、'.join(members)}分别加入{'、'.join(bodies)}。"
    data, _ = extract_text(raw, "t").candidates()
    names = {e["id"]: e["name"] for e in data["entities"]}
    got = {(names[m["member"]], names[m["organization"]], m["status"]) for m in data["memberships"]}
    assert got == {(m, b, "active") for m, b in zip(members, bodies)}
    assert all(m["quote"] in raw and names[m["member"]] in m["quote"] for m in data["memberships"])


def test_a_long_run_of_conjunctions_before_respectively_is_read_in_bounded_steps():
    # each 和/与 splits the run two ways: the pattern that tried them all took 20 s on 26 of them, and would not end on
    # these 130 (scripts/bench_extract.py times 分别; this sentence needs the bounded reading to finish at all)
    run = ("技术与人才和资本与市场和政策与服务和" * 30)[:400]
    raw = (f"会上，围绕{run}，宁波市数字经济、绿色能源2个产业联盟揭牌，分别由{A}、{B}担任理事长单位。"
           "宁波市数字经济产业联盟成立。宁波市绿色能源产业联盟成立。")
    got = {(m, b) for m, b, _ in memberships(raw)}
    assert {(A, "宁波市数字经济产业联盟"), (B, "宁波市绿色能源产业联盟")} <= got
    assert _respectively(raw) == {(A, "宁波市数字经济产业联盟"), (B, "宁波市绿色能源产业联盟")}
