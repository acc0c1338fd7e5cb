"""Organizations named as the members of another (A、B作为X发起单位), supporters, nominations: wordings, not texts."""

from __future__ import annotations

from kg.extract import extract_text
from tests.membership_helpers import candidate_pairs, memberships

A, B = "宁波恒泰新材料有限公司", "浙江华鑫化工股份有限公司"
C, D = "杭州东信电子有限公司", "宁波海曙精工机械有限公司"
ALLIANCE = "滨江国际创新联盟"
HUB = "滨江企业党建智联"  # no body suffix (联盟, 协会…): not typed a body, and not linked where 作为 names it


def test_a_list_named_as_the_member_units_of_an_organization_joins_it():
    raw = f"“{HUB}”签约仪式举行。{A}、{B}、{C}3家单位作为{HUB}发起单位，{D}作为{HUB}成员单位，分别签订共建协议。"
    got = memberships(raw)
    assert got == {(m, HUB, "active") for m in (A, B, C, D)}


def test_a_list_that_will_be_named_members_is_planned():
    raw = f"“{HUB}”成立。会议透露，{A}、{B}将作为{HUB}成员单位参与共建。"
    ex = extract_text(raw, "t")
    got = [s for s in ex.statements if s.is_membership and s.object.name == HUB]
    assert {(s.subject.name, s.status) for s in got} == {(A, "planned"), (B, "planned")}


def test_a_supporter_stays_one_when_the_list_it_ends_has_a_name_the_finder_missed():
    raw = (f"{ALLIANCE}是在滨江区科学技术局、科技部火炬中心、区里有关部门等多家单位的大力支持下，由{A}、{B}等知名公司"
           "共同发起成立的创新组织。")
    got = {(m, b) for m, b, _ in memberships(raw)}
    assert not {b for _, b in got} & {"科技部火炬中心", "滨江区科学技术局"}
    assert (A, ALLIANCE) in got and (B, ALLIANCE) in got


def test_what_serves_the_members_is_no_member_and_a_nominated_list_is_planned():
    assert not memberships(f"“{HUB}”成立。宁波市海曙区科学技术局作为{HUB}成员单位的主管部门出席。")
    assert not memberships(f"“{HUB}”成立。{C}作为{HUB}成员单位的服务商参加签约。")
    assert (A, HUB, "active") in memberships(f"“{HUB}”成立。{A}作为{HUB}成员单位的代表发言。")
    got = memberships(f"“{HUB}”成立。推荐{A}、{B}作为{HUB}成员单位。")
    assert got == {(A, HUB, "planned"), (B, HUB, "planned")}


def test_every_name_inside_the_bracket_after_a_member_word_is_listed_where_the_list_breaks():
    # 部分高校院所 names nothing: the run of names breaks there, the bracket after 理事单位 does not
    items = ["甬江新能源联盟", "宁波智能装备联盟", "宁波汽车轻量化联盟", "温州木竹联盟", "台州模具联盟"]
    raw = (f"联盟协发网和甬江科创中心的12个理事单位({items[0]}、{items[1]}、部分高校院所、{items[2]}、{items[3]}、"
           f"{items[4]}等)的理事代表参加会议。")
    stated = {m for (m, b), p in candidate_pairs(raw).items() if b == "甬江科创中心" and p.rule is not None}
    assert stated == set(items)
    assert {(m, "甬江科创中心", "active") for m in items} <= memberships(raw)
