"""Features of the candidate membership pairs (kg.extract.pairfeatures) and the vetoes they carry (kg.extract.pairs)."""

from __future__ import annotations

import pytest

from kg.extract.learn import Model
from kg.extract.orgs import Ent
from kg.extract.pairfeatures import MEMBER_WORDS
from kg.extract.pairs import Pair, choose
from tests.membership_helpers import candidate_pairs, memberships

A, B, C = "宁波瑞丰精密机械有限公司", "杭州星河光电科技股份有限公司", "温州东港电气有限公司"
BODY = "甬江数字经济产业联盟"


def _features(raw: str) -> dict[tuple[str, str], set[str]]:
    return {k: set(p.features) for k, p in candidate_pairs(raw).items()}


def _members(raw: str) -> set[tuple[str, str]]:
    return {(m, b) for m, b, _ in memberships(raw)}


def test_founders_that_open_a_long_sentence_are_told_from_the_body_it_founds():
    body = "长江上游新材料产业技术协同创新联盟"
    raw = (f"{A}、{B}、{C}以建设创新创业共同体为着力点，构建长江上游地区新材料服务链，完善创新链和产业链，"
           f"推动科技与经济融合发展，促进新材料产业集群发展，成立{body}。")
    feats = _features(raw)
    assert "body_founded" in feats[(A, body)] and "body_founded" in feats[(C, body)]
    other = _features(f"{body}召开年会，{A}、{B}的代表出席会议并参观了{C}。")
    assert "body_founded" not in other.get((C, body), set())


def test_guests_are_no_members_but_members_that_attend_are():
    guests = _features(f"{BODY}揭牌仪式在宁波举行。八十余家联盟成员单位代表参加仪式，{A}、{B}的有关领导出席并致辞。")
    assert "guest" in guests[(A, BODY)] and "guest" in guests[(B, BODY)]
    members = _features(f"{BODY}年会在宁波举行。{A}、{B}、{C}等联盟会员企业代表出席年会。")
    assert "guest" not in members[(A, BODY)] and "guest" not in members[(C, BODY)]


def test_a_persons_title_before_the_guest_word_leaves_them_guests():
    # 理事长, 副会长: a person of each organization attends; not 会员企业, 理事单位 (members that attend)
    for title in ("理事长", "副理事长", "副会长"):
        feats = _features(f"{BODY}揭牌仪式在宁波举行。八十余家联盟成员单位代表参加仪式，{A}、{B}的{title}出席并致辞。")
        assert "guest" in feats[(A, BODY)] and "guest" in feats[(B, BODY)], title
    members = _features(f"{BODY}年会在宁波举行。{A}、{B}等理事单位代表出席年会。")
    assert "guest" not in members[(A, BODY)]


def test_a_guest_is_vetoed_in_the_sentence_that_says_so_not_everywhere():
    alone = f"{BODY}聚集了{A}、{B}、{C}等龙头企业。"
    assert _members(alone) == {(A, BODY), (B, BODY), (C, BODY)}
    got = _members(alone + f"联盟年会上，{A}、{B}的有关领导出席并致辞。")
    assert got == {(A, BODY), (B, BODY), (C, BODY)}  # members that are guests at the annual meeting
    pairs = candidate_pairs(alone + f"联盟年会上，{A}、{B}的有关领导出席并致辞。")
    assert pairs[(A, BODY)].vetoed == {1} and "guest" not in pairs[(A, BODY)].features
    assert pairs[(A, BODY)].sent == 0  # the quote is the sentence that proposes it unvetoed


def test_a_pair_every_sentence_of_which_vetoes_it_is_dropped_however_likely():
    pair = Pair(Ent(A, "Company", "t"), Ent(BODY, "Alliance", "t"), 0, 0, 2, "active", {"w": 1.0, "guest": 1.0})
    pair.sents, pair.vetoed = {0, 3}, {0, 3}
    assert choose([pair], Model({"w": 5.0})) == []
    pair.sents.add(4)  # a sentence that proposes it unvetoed
    assert choose([pair], Model({"w": 5.0})) == [pair]


def test_lianhe_heading_a_units_name_founds_nothing():
    """联合 is a founding verb (A联合B发起…), not when it heads a unit's name (联合实验室, 联合党委, 联合体): two
    signatories of a lab agreement are no founders of the alliance the article spoke of before."""
    before = f"{BODY}扩容。{A}、{B}加入{BODY}，联盟成员单位增至64家。"
    lab = _features(before + f"西交利物浦大学与{C}签署共建智能制造联合实验室协议。")
    founding = _features(before + f"西交利物浦大学与{C}联合发起成立{BODY}。")
    assert (C, BODY) not in lab  # nothing in its clause speaks of members: not even proposed
    assert "clause:found" in founding[(C, BODY)]


@pytest.mark.parametrize("word", sorted({w.replace("副?", p) for w in MEMBER_WORDS.split("|") for p in ("", "副")}))
def test_each_word_that_names_members_makes_attendants_members_and_names_a_bodys_members(word):
    # one list (pairfeatures.MEMBER_WORDS) for the guest exemption and for the word after X that names its members
    assert "guest" not in _features(f"{BODY}年会召开，{A}、{B}等{word}代表出席。")[(A, BODY)]
    named = _members(f"{A}、{B}作为宁波市企业联合会{word}参加活动。")
    assert {(A, "宁波市企业联合会"), (B, "宁波市企业联合会")} <= named


def test_members_whose_list_runs_on_past_their_member_word_are_no_guests():
    # the list runs on (…等30余家会员单位代表以及C的领导): the member word is inside it, before the guest word
    raw = f"{BODY}年会在宁波举行。来自{A}、{B}等30余家会员单位代表以及{C}的有关领导出席年会。"
    feats = _features(raw)
    assert "guest" not in feats[(A, BODY)] and "guest" not in feats[(B, BODY)]
    guests = _features(f"{BODY}揭牌仪式在宁波举行。八十余家联盟成员单位代表参加仪式，"
                       f"{A}、{B}的有关领导以及{C}的代表出席并致辞。")
    assert "guest" in guests[(A, BODY)] and "guest" in guests[(B, BODY)]


def test_a_list_that_is_the_subject_of_joining_is_told_from_one_named_beside_the_body():
    for raw in (f"{A}、{B}等12家单位正式加入{BODY}。", f"{BODY}换届大会召开。{A}、{B}等6家单位当选副会长单位。"):
        feats = _features(raw)
        assert "subject_joins" in feats[(A, BODY)] and "subject_joins" in feats[(B, BODY)], raw
    partners = _features(f"{A}、{B}成为{BODY}的重要合作伙伴。")  # 成为 without a word of membership: no joining
    assert "subject_joins" not in partners[(A, BODY)]


def test_the_founders_of_the_body_named_in_their_clause_are_told_from_its_partners():
    for raw in (f"{BODY}由{A}、{B}、{C}联合发起。", f"由{A}、{B}等共同发起的创新组织——{BODY}在宁波成立。"):
        feats = _features(raw)
        assert "founds_body" in feats[(A, BODY)] and "founds_body" in feats[(B, BODY)], raw
    for raw in (f"{BODY}由{A}、{B}指导。", f"{A}、{B}与{BODY}签署合作协议。"):
        feats = _features(raw)
        assert "founds_body" not in feats[(A, BODY)] and "founds_body" not in feats[(B, BODY)], raw
