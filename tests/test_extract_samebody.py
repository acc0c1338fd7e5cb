"""One body found under two names (kg.extract.samebody): which names are one body, which of them keeps the pairs."""

from __future__ import annotations

import pytest

from kg.extract import extract_text
from kg.extract.lexicon import PARTS
from kg.extract.orgs import Ent, Mention
from kg.extract.samebody import same_bodies
from tests.membership_helpers import memberships

A, B, C = "宁波瑞丰精密机械有限公司", "杭州星河光电科技股份有限公司", "温州东港电气有限公司"
FULL, CUT = "浙江省高分子材料及辐射加工产业联盟", "辐射加工产业联盟"


def _body(name: str, whole: int, short: int = 0) -> Ent:
    """An alliance the article writes whole ``whole`` times and by a short form ``short`` times."""
    e = Ent(name, "Alliance", "suffix")
    e.mentions = [Mention(k, 0, len(e.key), e, "suffix") for k in range(whole)]
    e.mentions += [Mention(k, 0, 2, e, "alias") for k in range(short)]
    return e


def _names(merged: dict[int, Ent], *bodies: Ent) -> dict[str, str]:
    return {e.name: merged[id(e)].name for e in bodies if id(e) in merged}


def _members(raw: str) -> set[tuple[str, str]]:
    return {(m, b) for m, b, _ in memberships(raw)}


def test_a_body_glued_to_a_byline_or_a_verb_is_the_body_without_it_even_on_a_tie():
    # the finder's glued name is written whole once (its own mention), like the name it glued: a tie
    glued, whole = _body("讯宁波市甬江人才创新联盟", 1), _body("宁波市甬江人才创新联盟", 1)
    assert _names(same_bodies([glued, whole]), glued, whole) == {glued.name: whole.name}
    served, whole = _body("服务宁波市甬江人才创新联盟", 2), _body("宁波市甬江人才创新联盟", 1)
    assert _names(same_bodies([served, whole]), served, whole) == {served.name: whole.name}


def test_a_body_cut_short_or_named_without_its_city_is_the_one_named_in_full():
    full, cut = _body(FULL, 4), _body(CUT, 0, short=5)
    assert _names(same_bodies([full, cut]), full, cut) == {CUT: FULL}
    place, bare = _body("宁波市海曙区企业联合会", 1), _body("海曙区企业联合会", 1)  # a tie: the longer name
    assert _names(same_bodies([place, bare]), place, bare) == {bare.name: place.name}


def test_a_body_named_inside_the_name_of_another_is_another_body():
    # a chamber of Taizhou's people in Hangzhou beside Taizhou's own; a city's alliance beside the national one
    for short, long in (("台州商会", "杭州台州商会"), ("智能制造产业联盟", "杭州市智能制造产业联盟"),
                        ("产业联盟", "杭州智能制造产业联盟"), ("工商业联合会", "杭州市萧山区工商业联合会")):
        assert same_bodies([_body(short, 2), _body(long, 2)]) == {}, (short, long)


def test_bodies_that_end_alike_are_kinds_not_one_body():
    kind = _body("先进制造产业链联盟", 2)
    one, two = _body("讯集成电路先进制造产业链联盟", 1), _body("服务生物医药先进制造产业链联盟", 1)
    assert same_bodies([kind, one, two]) == {}
    companies = [Ent("宁波瑞丰精密机械有限公司", "Company", "suffix"), Ent("瑞丰精密机械有限公司", "Company", "suffix")]
    assert same_bodies(companies) == {}  # bodies only


def test_the_pairs_of_a_body_found_under_two_names_go_to_one_of_them():
    raw = f"{FULL}成立。{A}、{B}加入{FULL}。{CUT}由{C}牵头。"
    assert _members(raw) == {(A, FULL), (B, FULL), (C, FULL)}  # C's pair moves; the cut name joins nothing


def test_a_membership_the_rules_state_between_the_two_names_is_kept():
    raw = f"{FULL}成立。{CUT}加入{FULL}。"
    assert _members(raw) == {(CUT, FULL)}  # the article relates them: two bodies after all


@pytest.mark.parametrize("conjunction", PARTS)
def test_a_name_cut_at_any_conjunction_a_list_of_modifiers_splits_at_is_one_body(conjunction):
    # one list (lexicon.PARTS) for where 分别 splits shared modifiers and where the finder cuts a name short
    full, cut = _body(f"浙江省高分子材料{conjunction}辐射加工产业联盟", 3), _body(CUT, 0, short=2)
    assert _names(same_bodies([full, cut]), full, cut) == {CUT: full.name}


# End to end, the organization pass decides first: it links a short form to the longer name that ends with it
# (orgs.linking: a generic tail of six characters or more as a short form, is_short_form) before same_bodies sees the
# entities, so a city's alliance and the national one of the same name still come out as one. That gap is
# documented (strict: it fails today; when it passes, the marker must go). It is not closed by order — a tail written
# before the longer name is another body here, but real news writes the bare name first of the same body as often
# (上海日前成立跨境电子商务行业协会 … 上海跨境电子商务行业协会会长; 8家产业党建联盟成员单位 … “红纽带”产业党建联盟):
# keeping such tails apart lost 0.002 organization F1 and 0.003 membership F1 in CV (round 11).
# A byline glued to a body (本报讯…) no longer is: orgparts.after_dateline starts the name after it; a chamber named
# after a place beside that place's chamber (杭州|台州商会) stays apart (shortforms.added).
_LINKED_FIRST = pytest.mark.xfail(strict=True, reason="the organization pass links a tail to the longer name first")


def test_end_to_end_a_chamber_in_another_city_stays_beside_the_chamber_it_is_named_after():
    # 是Y的团体会员: a body that is a group member of another (memberships._MEMBER_AFTER)
    raw = f"台州商会举行年会。杭州台州商会是台州商会的团体会员。{A}加入杭州台州商会。{B}加入台州商会。"
    assert {("杭州台州商会", "台州商会"), (A, "杭州台州商会"), (B, "台州商会")} <= _members(raw)


@_LINKED_FIRST
def test_end_to_end_a_citys_alliance_stays_beside_the_national_one():
    raw = (f"智能制造产业联盟年会在上海召开。{A}、{B}加入杭州市智能制造产业联盟。"
           f"{C}是智能制造产业联盟会员单位。")
    assert (C, "智能制造产业联盟") in _members(raw)


def test_end_to_end_a_byline_glued_to_a_body_is_no_part_of_its_name():
    # the name starts after the dateline, so the body named again later is the same body, not its tail
    raw = f"本报讯杭州市智能制造产业联盟日前成立。{A}、{B}等15家单位成为杭州市智能制造产业联盟首批成员单位。"
    assert _members(raw) == {(A, "杭州市智能制造产业联盟"), (B, "杭州市智能制造产业联盟")}


def test_end_to_end_a_chamber_named_after_a_place_and_the_chamber_of_that_place_stay_two_organizations():
    # the organizations themselves (the memberships: the test above)
    raw = f"台州商会举行年会。杭州台州商会是台州商会的团体会员。{A}加入杭州台州商会。{B}加入台州商会。"
    orgs = {e.name: e for e in extract_text(raw, "t").orgs}
    assert {"台州商会", "杭州台州商会"} <= set(orgs) and "台州商会" not in orgs["杭州台州商会"].aliases
    assert len(orgs["台州商会"].mentions) == 3 and len(orgs["杭州台州商会"].mentions) == 2
