"""The pair model's confidence in a membership: counted by band as the scorer counts memberships, and no part of
a fact (the candidates file's loader checks it; canonical facts leave it out)."""

from __future__ import annotations

from kg.decompile import canonical
from kg.extract import extract_text
from kg.extract.score import (
    Predicted,
    add_bands,
    from_extraction,
    in_band_order,
    membership_verdicts,
    memberships_by_confidence,
    more_sure,
)

ALLIANCE = "绿色算力党建联盟"
GOLD = {
    "organizations": [{"name": "青海大学", "aliases": ["青大"]}, {"name": "青海理工学院"},
                      {"name": ALLIANCE}, {"name": "青海金诃藏药股份有限公司", "aliases": ["金诃藏药"]}],
    "memberships": [["青海大学", ALLIANCE, "active"], ["青海理工学院", ALLIANCE, "active"],
                    ["青海金诃藏药股份有限公司", ALLIANCE, "active"]],
}


def test_memberships_are_counted_right_by_the_band_of_their_confidence():
    said = {("青海大学", ALLIANCE, "active"): 0.93,
            ("青大", ALLIANCE, "active"): 0.55,  # the same membership to the scorer: counted once, at 0.93
            ("西宁某某公司", ALLIANCE, "active"): 0.91,  # wrong
            ("金诃藏药", ALLIANCE, "planned"): 0.6,  # the gold's is active: wrong
            ("青海理工学院", ALLIANCE, "active"): None}  # a rule's
    pred = Predicted(orgs=[("青海大学", ["青大"]), ("青海理工学院", []), (ALLIANCE, []), ("金诃藏药", []),
                           ("西宁某某公司", [])],
                     memberships=set(said), membership_confidence=dict(said))
    assert memberships_by_confidence(pred, GOLD) == {"≥ 0.9": (1, 2), "≥ 0.5": (0, 1), "none": (1, 1)}



def test_each_membership_says_why_it_is_right_or_wrong_and_each_missed_one_why_it_was_missed():
    said = {("青大", ALLIANCE, "active"): 0.93,  # right, under an alias
            ("金诃藏药", ALLIANCE, "planned"): 0.6,  # the gold pairs them, active
            ("西宁某某公司", ALLIANCE, "active"): None,  # a rule's, with a member the gold does not list
            ("青海大学", "青海理工学院", "active"): 0.7}  # both listed, never paired
    pred = Predicted(orgs=[("青海大学", ["青大"]), (ALLIANCE, []), ("金诃藏药", []), ("西宁某某公司", [])],
                     memberships=set(said), membership_confidence=dict(said))
    proposed, missed = membership_verdicts(pred, GOLD)
    assert sorted((m, o, v, c) for m, o, _, c, v in proposed) == sorted([
        ("青大", ALLIANCE, "right", 0.93), ("金诃藏药", ALLIANCE, "other status", 0.6),
        ("西宁某某公司", ALLIANCE, "member not listed", None), ("青海大学", "青海理工学院", "not paired", 0.7)])
    assert sorted(missed) == [("青海理工学院", ALLIANCE, "active", "member not found"),
                              ("青海金诃藏药股份有限公司", ALLIANCE, "active", "not kept")]

def test_a_membership_proposed_twice_is_as_sure_as_the_surer_and_a_rules_is_sure_enough():
    assert more_sure(0.6, 0.9) == 0.9 and more_sure(None, 0.9) is None and more_sure(0.7, None) is None
    pred = Predicted()
    for member, sure in (("青海大学", 0.6), ("青海大学", 0.9), ("青海理工学院", 0.7), ("青海理工学院", None)):
        pred.add_membership(member, ALLIANCE, "active", sure)
    assert pred.memberships == {("青海大学", ALLIANCE, "active"), ("青海理工学院", ALLIANCE, "active")}
    assert pred.membership_confidence == {("青海大学", ALLIANCE, "active"): 0.9,
                                          ("青海理工学院", ALLIANCE, "active"): None}


def test_bands_add_up_over_texts_and_print_from_the_surest_down():
    total: dict[str, list[int]] = {}
    add_bands(total, {"≥ 0.5": (1, 2), "none": (1, 1)})
    add_bands(total, {"≥ 0.9": (2, 2), "≥ 0.5": (0, 3), "≥ 0.0": (0, 1)})
    assert total == {"≥ 0.9": [2, 2], "≥ 0.5": [1, 5], "≥ 0.0": [0, 1], "none": [1, 1]}
    assert in_band_order(total) == ["≥ 0.9", "≥ 0.5", "≥ 0.0", "none"]


def test_the_scorer_reads_the_confidence_of_each_membership_extracted():
    a, b, c = "宁波恒泰新材料有限公司", "浙江华鑫化工股份有限公司", "杭州东信电子有限公司"
    body = "滨江新材料产业联盟"
    ex = extract_text(f"近日，{body}的队伍再添新丁：{a}和{b}。同月，{c}正式加入{body}。", "t")
    pred = from_extraction(ex)
    assert set(pred.membership_confidence) == pred.memberships
    assert pred.membership_confidence[(c, body, "active")] is None
    assert pred.membership_confidence[(a, body, "active")] >= 0.5


def test_a_memberships_confidence_is_no_part_of_the_fact():
    item = {"member": "university/qinghai-daxue", "organization": "alliance/lianmeng", "status": "active",
            "quote": "青海大学加入联盟"}
    assert canonical({"memberships": [{**item, "confidence": 0.71}]}) == canonical({"memberships": [item]})
