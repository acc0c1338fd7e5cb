"""Membership pairs proposed widely and decided by the learned model (kg.extract.pairs, models/members.json)."""

from __future__ import annotations

import os
import sys

import pytest

from kg.extract import extract_text
from kg.extract.clause import SentenceView
from kg.extract.document import Document
from kg.extract.entities import Mention
from kg.extract.learn import BIAS, Model, load_model
from kg.extract.orgs import Ent, find_entities
from kg.extract.pairfeatures import features, sure
from kg.extract.pairs import Pair, Pairs, choose
from kg.extract.relations import find_statements
from tests.conftest import ROOT
from tests.membership_helpers import memberships

sys.path.insert(0, str(ROOT / "scripts"))
from bench_extract import company_list  # noqa: E402

ALLIANCE = "滨江新材料产业联盟"
A, B = "宁波恒泰新材料有限公司", "浙江华鑫化工股份有限公司"


def _rules_alone(raw: str) -> set[tuple[str, str]]:
    doc = Document.from_raw(raw)
    pairs = Pairs()
    find_statements(doc, find_entities(doc, None), None, pairs=pairs)
    return {(p.member.name, p.body.name) for p in choose(list(pairs.by_key.values()), None)}


def test_the_model_finds_members_no_rule_words():
    raw = f"{ALLIANCE}的队伍再添新丁：{A}和{B}。"
    assert _rules_alone(raw) == set()
    assert memberships(raw) == {(A, ALLIANCE, "active"), (B, ALLIANCE, "active")}


def test_a_members_quote_is_in_the_text():
    raw = f"近日，{ALLIANCE}的队伍再添新丁：{A}和{B}。"
    ex = extract_text(raw, "t")
    for s in ex.statements:
        quote = ex.doc.sentences[s.sent].key[s.i : s.j]
        assert s.subject.name in quote or s.object.name in quote


def test_planned_is_never_active():
    raw = f"{ALLIANCE}的队伍明年将再添新丁：{A}和{B}。"
    assert memberships(raw) == {(A, ALLIANCE, "planned"), (B, ALLIANCE, "planned")}


def test_a_pair_planned_then_done_keeps_both_statements_of_the_rules():
    raw = f"{ALLIANCE}成立。{A}计划明年加入{ALLIANCE}。目前，{A}已正式加入{ALLIANCE}。"
    assert memberships(raw) == {(A, ALLIANCE, "planned"), (A, ALLIANCE, "active")}


def test_an_intent_after_the_members_clause_does_not_make_it_planned():
    raw = f"{ALLIANCE}的队伍再添新丁：{A}和{B}，今后将开展合作。"
    assert memberships(raw) == {(A, ALLIANCE, "active"), (B, ALLIANCE, "active")}


@pytest.mark.parametrize("raw", [
    f"{A}、{B}的代表出席了{ALLIANCE}年会。",  # a meeting
    f"近日，{A}负责人一行到{ALLIANCE}调研座谈。",  # a visit
    f"{ALLIANCE}成立大会在东海大学举行，{A}、{B}等企业负责人参加会议。",  # attending its meeting
    f"{A}、{B}等企业入驻滨江高新区，{ALLIANCE}同日揭牌。",  # settling in a park
    f"{ALLIANCE}成立。联盟将为{A}、{B}等企业搭建合作平台。",  # served by it
    f"经过滨江区科协和滨江区工商联的发起和筹备，{ALLIANCE}正式成立。",  # X的发起: X does not act
])
def test_meetings_visits_and_initiatives_are_no_membership(raw):
    assert memberships(raw) == set()


def test_a_company_in_a_park_is_located_there_not_a_member():
    ex = extract_text(f"{A}入驻滨江高新区，{ALLIANCE}为其提供服务。", "t")
    assert {(s.subject.name, s.predicate, s.object.name) for s in ex.statements} == {(A, "locatedIn", "滨江高新区")}


def test_items_of_a_list_a_header_opened_are_candidates_however_far_the_body_was():
    raw = f"{ALLIANCE}正式成立。一年来活动不断。各方反响热烈。会员大会顺利召开。成员单位如下：\n1.{A}；\n2.{B}。"
    doc = Document.from_raw(raw)
    pairs = Pairs()
    find_statements(doc, find_entities(doc, None), None, pairs=pairs)
    got = {(p.member.name, p.body.name): p.features for p in pairs.by_key.values()}
    assert got[(B, ALLIANCE)]["list_goes_on"] == 1.0 and got[(B, ALLIANCE)]["implicit"] == 1.0


def _pair(member: Ent, body: Ent, sent: int, weight: float) -> Pair:
    return Pair(member, body, sent, 0, 1, "active", {"w": weight})


def test_choose_keeps_one_body_per_member_in_a_sentence_and_no_body_that_joins():
    model = Model({"w": 1.0, BIAS: 0.0})
    a, b = Ent(A, "Company", "t"), Ent(B, "Company", "t")
    alliance, chamber = Ent(ALLIANCE, "Alliance", "t"), Ent("滨江商会", "ChamberOfCommerce", "t")
    pairs = [_pair(a, alliance, 0, 3.0), _pair(a, chamber, 0, 1.0),  # a: the likelier body only
             _pair(chamber, alliance, 1, 2.0), _pair(b, chamber, 1, 2.0),  # the chamber joins: b does not join it
             _pair(b, alliance, 2, -2.0)]  # below the threshold
    kept = {(p.member.name, p.body.name) for p in choose(pairs, model)}
    assert kept == {(A, ALLIANCE), ("滨江商会", ALLIANCE)}


def test_the_rules_pairs_are_kept_whatever_the_model_says():
    a, alliance = Ent(A, "Company", "t"), Ent(ALLIANCE, "Alliance", "t")
    p = _pair(a, alliance, 0, -5.0)
    p.rule = object()
    assert choose([p], Model({"w": 1.0})) == [p]


@pytest.mark.slow
def test_the_shipped_model_is_the_one_the_training_script_writes():
    sys.path.insert(0, str(ROOT / "scripts"))
    import train_members

    texts, _ = train_members.load(train_members.DEV)  # each text's names found by a filter that never saw it
    shipped = load_model("members")
    assert shipped is not None and not [k for k in shipped.weights if k.startswith("rule")]
    fresh = train_members.train([p.features for t in texts for p in t.pairs],
                                [lab for t in texts for lab in t.labels], l2=train_members.L2)
    for name, w in shipped.weights.items():
        assert abs(fresh.weights.get(name, 0.0) - w) < 1e-3, name


def test_a_pair_reads_how_sure_the_organization_filter_is_of_both_names():
    member, body = Ent(A, "Company", "t"), Ent(ALLIANCE, "Alliance", "t")
    bands = []
    for c in (None, 0.3, 0.5, 0.69, 0.7, 0.89, 0.9, 1.0):
        member.confidence = c
        bands.append(sure(member))
    assert bands == ["none", "<0.5", "<0.7", "<0.7", "<0.9", "<0.9", ">=0.9", ">=0.9"]
    member.confidence, body.confidence = 0.95, None
    x = Mention(0, 0, len(A), member, "t")
    f = features(SentenceView(Document.from_raw(f"{A}加入{ALLIANCE}。").sentences[0], [x], None), x, None, body)
    assert f["msure=>=0.9"] == f["bsure=none"] == 1.0 and sum(k.startswith(("msure", "bsure")) for k in f) == 2


def _candidates(raw: str) -> dict[tuple[str, str], Pair]:
    doc = Document.from_raw(raw)
    pairs = Pairs()
    find_statements(doc, find_entities(doc, None), None, pairs=pairs)
    return {(p.member.name, p.body.name): p for p in pairs.by_key.values()}


C, D = "杭州东信电子有限公司", "宁波海曙精工机械有限公司"


def test_each_lead_founds_the_body_named_after_it_not_the_ones_before():
    raw = f"第一批联合体已组建，分别是由{A}牵头组建的滨江新材料创新联合体、由{B}牵头成立的滨江智能装备创新联合体。"
    assert _rules_alone(raw) == {(A, "滨江新材料创新联合体"), (B, "滨江智能装备创新联合体")}


def test_the_items_of_a_long_list_take_the_member_cue_of_their_sentence():
    raw = f"{ALLIANCE}召开大会。大会选出{A}、{B}等2所单位，以及{C}、{D}、杭州滨盛科技有限公司等企业。"
    got = _candidates(raw)
    assert (D, ALLIANCE) in got and got[(D, ALLIANCE)].features["implicit"] == 1.0


def test_a_member_body_named_in_a_sentence_is_a_candidate_of_the_first_body_of_the_article():
    raw = f"{ALLIANCE}正式成立。会上选出{A}、滨江区电子商会为副理事长单位。"
    got = _candidates(raw)
    assert got[("滨江区电子商会", ALLIANCE)].features["other_body_named"] == 1.0


def test_a_joint_party_committee_is_a_body_units_join():
    from kg.extract.pairfeatures import is_body

    assert is_body(Ent("滨江园区企业联合党委", "PartyOrganization", "t"))
    assert not is_body(Ent("宁波恒泰新材料有限公司党委", "PartyOrganization", "t"))


def test_an_intent_after_the_word_that_names_members_is_another_subjects():
    raw = f"{ALLIANCE}的队伍再添新丁：{A}、{B}等20余家成员单位滨江区将新材料作为重点产业。"
    assert {s for _, _, s in memberships(raw)} == {"active"}


def test_a_rules_pair_under_the_floor_goes_the_way_of_the_models():
    a, alliance = Ent(A, "Company", "t"), Ent(ALLIANCE, "Alliance", "t")
    p = _pair(a, alliance, 0, -5.0)
    p.rule = object()
    assert choose([p], Model({"w": 1.0}), rule_floor=0.3) == []
    assert choose([p], Model({"w": 1.0}), rule_floor=0.0) == [p]


def test_a_body_the_finder_links_only_later_is_named_where_its_name_is_written():
    # 滨江软件园党建工作联席会 is read as the park 滨江软件园 in the first sentence; the body is linked only in the last
    raw = (f"11月13日，滨江软件园党建工作联席会召开成立大会，{A}、{B}当选副会长单位。"
           "领导对软件园党建工作联席会的成立表示祝贺。")
    got = _candidates(raw)
    body = "软件园党建工作联席会"
    assert got[(A, body)].sents == {0} and "implicit" not in got[(A, body)].features
    assert ("滨江软件园", body) not in got  # the name it is written inside is no member of it


def test_cue_words_inside_a_name_are_not_read_as_cues():
    got = _candidates(f"{ALLIANCE}成立。杭州恒达汽车服务有限公司、{B}等企业加入{ALLIANCE}。")
    feats = got[("杭州恒达汽车服务有限公司", ALLIANCE)].features
    assert "clause:join" in feats and not [k for k in feats if k.endswith(":serve")]


def _listed(weights: list[float]) -> list[Pair]:
    alliance = Ent(ALLIANCE, "Alliance", "t")
    pairs = [_pair(Ent(f"滨江{n}号科技有限公司", "Company", "t"), alliance, 0, w) for n, w in enumerate(weights)]
    for p in pairs:
        p.lists = {(0, 0)}
    return pairs


@pytest.mark.parametrize("weights, n_kept", [
    ([3.0, -1.0, -1.0, -3.0], 3),  # one item joins: the others join from 0.2 (0.27 here), not at 0.05
    ([-0.5, -0.5, -0.5], 3),  # 0.38 on average: the list joins
    ([-1.0, -1.0, -1.0], 0),  # 0.27 on average and no item above the threshold: none
    ([3.0, -1.0], 1),  # two items: no long list, each on its own
])
def test_the_items_of_a_long_list_share_their_fate(weights, n_kept):
    assert len(choose(_listed(weights), Model({"w": 1.0, BIAS: 0.0}))) == n_kept


def test_supporters_are_no_members():
    raw = f"在滨江区科学技术局、滨江区商务局等单位的大力支持下，由{A}、{B}共同发起成立{ALLIANCE}。"
    got = _candidates(raw)
    assert "supports" in got[("滨江区科学技术局", ALLIANCE)].features
    assert "supports" not in got[(A, ALLIANCE)].features
    assert {(m, b) for m, b, _ in memberships(raw)} == {(A, ALLIANCE), (B, ALLIANCE)}
    sure = _pair(Ent("滨江区科学技术局", "GovernmentBody", "t"), Ent(ALLIANCE, "Alliance", "t"), 0, 5.0)
    sure.features["supports"] = 1.0  # however likely the model finds it, in the one sentence that vetoes it
    sure.sents, sure.vetoed = {0}, {0}
    assert choose([sure], Model({"w": 1.0})) == []


def test_guests_and_sibling_bodies_are_told_apart():
    raw = (f"{ALLIANCE}成立。滨江区科学技术局、滨江区商务局的相关领导出席成立大会并致辞。"
           "滨江区新材料商会、滨江区电子商会作为首批成员加入滨江区工商业联合商会。")
    got = _candidates(raw)
    assert "guest" in got[("滨江区商务局", ALLIANCE)].features
    assert "same_kind" in got[("滨江区新材料商会", "滨江区工商业联合商会")].features
    # features, not vetoes: the guests join nothing, the chambers that join a chamber of chambers are its members
    assert {(m, b) for m, b, _ in memberships(raw)} == {("滨江区新材料商会", "滨江区工商业联合商会"),
                                                     ("滨江区电子商会", "滨江区工商业联合商会")}


def test_an_organization_a_member_word_follows_has_the_list_after_it_as_candidates():
    raw = f"滨江创新服务中心的3个理事单位（{A}、{B}、{C}）参加了会议，{D}致辞。"
    got = _candidates(raw)
    assert got[(B, "滨江创新服务中心")].features["body_by_word"] == 1.0
    # the list the word opens is stated, as sure as a rule; what follows it is left to the model
    assert got[(C, "滨江创新服务中心")].rule is not None and got[(D, "滨江创新服务中心")].rule is None
    assert (A, "滨江创新服务中心", "active") in memberships(raw)
    planned = f"明年，滨江创新服务中心的3个理事单位（{A}、{B}、{C}）将正式确定。"
    assert {s for m, _, s in memberships(planned) if m in (A, B, C)} == {"planned"}


@pytest.mark.parametrize("tail, status", [
    ("将于下月正式确定", "planned"),  # an intent after the list the member word opens
    ("拟于近期签约入会", "planned"),
    ("已于上月退出", "ended"),
    ("参加了年会", "active"),
])
def test_the_list_a_member_word_opens_takes_the_status_said_after_it(tail, status):
    raw = f"滨江创新服务中心的首批理事单位（{A}、{B}）{tail}。"
    assert {(m, s) for m, _, s in memberships(raw)} == {(A, status), (B, status)}


def test_members_that_support_are_no_supporters():
    # 等成员单位 between the list and 支持下: members; no veto, the model decides (and the rules may speak)
    got = _candidates(f"在{A}、{B}等成员单位的大力支持下，{ALLIANCE}顺利召开年会。")
    assert "supports" not in got[(A, ALLIANCE)].features and "supports" not in got[(B, ALLIANCE)].features
    assert "supports" in _candidates(f"在{A}、{B}等单位的大力支持下，{ALLIANCE}顺利召开年会。")[(A, ALLIANCE)].features


@pytest.mark.parametrize("raw", [
    f"在滨江区政府支持下{A}、{B}等单位加入{ALLIANCE}。",  # the supporter is not the list
    f"在滨江区政府大力支持下{A}、{B}共同发起成立{ALLIANCE}。",
])
def test_a_supporter_before_the_list_leaves_the_list_members(raw):
    assert {(m, b) for m, b, _ in memberships(raw)} == {(A, ALLIANCE), (B, ALLIANCE)}


def test_a_member_that_also_founds_a_company_stays_a_member_and_the_company_joins_nothing():
    founded = "杭州滨材科技有限公司"
    raw = f"{ALLIANCE}成员单位{A}、{B}共同发起成立了{founded}。"
    assert {(m, b) for m, b, _ in memberships(raw)} == {(A, ALLIANCE), (B, ALLIANCE)}
    fund = f"{A}、{B}共同发起设立的{founded}正式运营，{ALLIANCE}表示祝贺。"  # founders of another: vetoed
    assert "founds_other" in _candidates(fund)[(A, ALLIANCE)].features


_CH = "东西南北中华新光明天海山川江河金银星月云龙凤瑞祥和泰安康宁丰"


def _owners_and_members(n: int) -> str:
    name = lambda k, city, kind: city + _CH[k % 30] + _CH[k // 30 % 30] + kind  # noqa: E731
    owners = (f"{name(k, '杭州', '科技有限公司')}的会员单位{name(k, '宁波', '材料有限公司')}" for k in range(n))
    return "、".join(owners) + "。"


def test_an_organization_owning_members_takes_as_candidates_only_the_stretch_up_to_the_next_owner():
    # n × "X的会员单位Y" in one sentence: each X, Y once; every later name as a candidate of every X was quadratic
    n = 60
    by_word = [p for p in _candidates(_owners_and_members(n)).values() if "body_by_word" in p.features]
    assert n // 2 <= len(by_word) <= 2 * n


@pytest.mark.parametrize("raw, status", [
    (f"滨江科技服务中心的首批会员单位有{A}、{B}和{C}，{D}为其提供场地。", "active"),
    (f"滨江科技服务中心的成员企业：{A}、{B}、{C}已于去年退出。", "ended"),
])
def test_the_list_a_member_word_opens_is_kept_whatever_the_word_and_only_that_list(raw, status):
    # kept as surely as the rules' pairs (one dev text has it: the model cannot learn it by CV), with its own status
    assert memberships(raw) == {(m, "滨江科技服务中心", status) for m in (A, B, C)}


def _bodies_and_companies(n: int) -> str:
    """A sentence naming ``n`` alliances, then ``n`` companies (each item its own name)."""
    pairs = [a + b for a in "甲乙丙丁戊己庚辛壬癸" for b in "一二三四五六七八九十"][:n]
    bodies = "、".join(f"宁波{p}产业联盟" for p in pairs)
    return f"{bodies}等联盟的成员单位包括" + "、".join(f"宁波{p}科技有限公司" for p in pairs) + "。"


def test_a_sentence_naming_many_bodies_pairs_each_organization_with_the_nearest_only():
    got = {n: _candidates(_bodies_and_companies(n)) for n in (20, 40)}
    assert len(got[20]) >= 20  # candidates there are
    assert len(got[40]) <= 2.2 * len(got[20])  # twice the names, twice the pairs (all with all: four times)


def _status_scans(n: int) -> int:
    """How many regular-expression searches the pair modules (pairs, pairstatus) start while extracting one clause
    listing ``n`` companies that join a body: a count of steps, not a time."""
    raw = company_list(n)
    scans = 0

    def count(frame, event, arg) -> None:
        nonlocal scans
        if event == "c_call" and getattr(arg, "__name__", "") == "search" \
                and os.path.basename(frame.f_code.co_filename).startswith("pairs"):
            scans += 1

    sys.setprofile(count)
    try:
        ex = extract_text(raw, "t")
    finally:
        sys.setprofile(None)
    assert len([s for s in ex.statements if s.is_membership]) == n
    return scans


def test_the_status_of_the_members_of_one_clause_is_read_once_not_once_per_member():
    # each member's status searched its clause from the start: 400/800/1,600 items took 0.7/2.1/4.7 s
    assert _status_scans(80) == _status_scans(20)


def test_a_pair_the_model_keeps_carries_its_probability_and_a_rules_pair_none():
    model = Model({"w": 1.0, BIAS: 0.0})
    alliance = Ent(ALLIANCE, "Alliance", "t")
    mine, ruled = _pair(Ent(A, "Company", "t"), alliance, 0, 2.0), _pair(Ent(B, "Company", "t"), alliance, 1, -5.0)
    ruled.rule = object()
    assert choose([mine, ruled], model) == [ruled, mine]
    assert mine.confidence == 0.88 and ruled.confidence is None  # sigmoid(2.0), rounded
    assert choose([mine, ruled], None) == [ruled] and mine.confidence is None  # each call decides afresh


def test_an_item_only_its_list_keeps_carries_no_confidence_of_the_model():
    pairs = _listed([3.0, -1.0, -1.0, -3.0])  # the first joins, so the next two do from 0.2: the last does not
    assert len(choose(pairs, Model({"w": 1.0, BIAS: 0.0}))) == 3
    assert [p.confidence for p in pairs] == [0.95, None, None, None]  # the list floor, a rule, kept the two


def test_the_extractor_says_how_sure_it_is_of_the_memberships_the_model_keeps():
    raw = f"近日，{ALLIANCE}的队伍再添新丁：{A}和{B}。同月，{C}正式加入{ALLIANCE}。"
    ex = extract_text(raw, "t")
    sure = {s.subject.name: s.confidence for s in ex.statements if s.is_membership}
    assert sure.keys() == {A, B, C} and sure[C] is None  # 加入: the rule decided
    assert all(0.5 <= sure[x] <= 1 for x in (A, B))
    data, _ = ex.candidates(set())
    written = {it["member"]: it for it in data["memberships"]}
    assert sorted(it.get("confidence") is None for it in written.values()) == [False, False, True]
    assert list(next(it for it in written.values() if "confidence" in it))[-4:] == ["confidence", "quote", "offsets",
                                                                                     "review"]


@pytest.mark.parametrize("word", ["团体会员", "单位会员", "企业会员"])
def test_a_body_is_a_group_member_of_another_as_of_a_member_unit(word):
    # 团体会员 / 单位会员 / 企业会员: the classes of a body's members (beside its individual members), as 会员单位 is
    raw = f"{ALLIANCE}召开年会。{A}是{ALLIANCE}的{word}。"
    assert memberships(raw) == {(A, ALLIANCE, "active")}
    assert (A, ALLIANCE) in _rules_alone(raw)
    assert memberships(f"{ALLIANCE}召开年会。{A}为{ALLIANCE}的{word}提供服务。") == set()  # for them, not one
    assert memberships(f"{ALLIANCE}召开年会。{A}为{ALLIANCE}的{word}。") == {(A, ALLIANCE, "active")}  # 为: is


def test_the_officials_of_a_list_attend_whatever_the_next_item_of_the_sentence():
    raw = (f"{ALLIANCE}成立大会在东海宾馆召开，滨江区民政局、{A}、{B}相关领导，32家会员单位代表，"
           "高校专家共130余人出席会议。")
    assert memberships(raw) == set()
    # a member word before the officials: members that attend
    raw = f"{ALLIANCE}年会召开，来自{A}、{B}等100余家会员单位高管以及东海学院相关领导出席。"
    assert {(m, b) for m, b, _ in memberships(raw)} == {(A, ALLIANCE), (B, ALLIANCE)}


def test_a_byline_outlet_founds_nothing():
    raw = f"滨江日报讯（记者 王明）8月10日，由{A}牵头发起的{ALLIANCE}成立。"
    assert memberships(raw) == {(A, ALLIANCE, "active")}


def test_founding_a_count_of_bodies_founds_none_of_those_the_article_names():
    body = "滨江新能源装备创新联合体"
    raw = (f"{body}由{A}牵头组建。滨江区科技局支持{B}、宁波港集团等龙头企业牵头组建10家企业创新联合体，"
           "集聚科研人员协同创新。")
    assert {(m, b) for m, b, _ in memberships(raw)} == {(A, body)}
