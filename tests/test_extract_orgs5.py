"""Organizations of ordinary wording the round-6 rules dropped or invented (review of orgs4): a company whose name
holds 型, a body a place names at a level (市级机关工委), a zone ending in 区, a name after a person's 代表, a source
field's common word and a dateline's person or time word."""

from __future__ import annotations

import pytest

from kg.extract import extract_text


def _names(text: str) -> set[str]:
    return {e.name for e in extract_text("标题\n\n" + text + "\n", "x").orgs}


@pytest.mark.parametrize(("text", "name"), [
    ("苏州精密成型有限公司入驻园区。", "苏州精密成型有限公司"),
    ("东莞模型有限公司与园区签约。", "东莞模型有限公司"),
    ("苏州市级机关工委组织党员参观园区。", "苏州市级机关工委"),
])
def test_a_level_word_or_kind_word_inside_a_proper_name_keeps_it(text, name):
    assert name in _names(text)


@pytest.mark.parametrize(("text", "name"), [
    ("园区与临港新片区签约合作。", "临港新片区"), ("商会与兰州新区签约。", "兰州新区"),
])
def test_a_zone_a_verb_takes_is_an_organization_not_a_place(text, name):
    assert name in _names(text)


@pytest.mark.parametrize(("text", "name"), [
    ("华为技术有限公司党委书记张三代表华为技术有限公司发言。", "华为技术有限公司"),
    ("东岭商会会长王立新代表东岭商会致辞。", "东岭商会"),
])
def test_the_verb_after_a_person_and_title_is_not_part_of_the_next_name(text, name):
    names = _names(text)
    assert name in names and not any(n.startswith("代表") for n in names), names


@pytest.mark.parametrize(("text", "name"), [
    ("图片来源:网络", None), ("来源:本站原创", None), ("来源:本站发布时间:2023-05-06", None),
    ("来源:海淀园工委组织部作者:李明", "海淀园工委组织部"), ("来源:网易发布时间:2023-05-06", "网易"),
])
def test_a_source_field_holding_a_common_word_names_no_publisher(text, name):
    names = _names(text + "\n\n园区企业签约。")
    assert names == ({name} if name else set()), names


@pytest.mark.parametrize(("text", "name"), [
    ("李明2018年4月15日讯，园区开工。", None), ("近期2018年4月15日讯，园区开工。", None),
    ("南方大视野2018年4月15日讯，园区开工。", "南方大视野"),
])
def test_a_person_or_a_time_word_before_a_dateline_is_no_publisher(text, name):
    names = _names(text)
    assert names == ({name} if name else set()), names


def test_a_name_is_kept_when_any_boundary_is_probable_enough_and_moves_only_past_the_margin(monkeypatch):
    from kg.extract import orgfilter

    alt = object()  # another boundary (the decision reads only the probabilities)
    monkeypatch.setattr(orgfilter, "ALT_MARGIN", 0.05)
    assert orgfilter._decide([(0.47, None), (0.51, alt)], 0.5) == (True, None, None)  # kept, where it was found
    assert orgfilter._decide([(0.40, None), (0.60, alt)], 0.5) == (True, alt, None)
    assert orgfilter._decide([(0.30, None), (0.45, alt)], 0.5) == (False, None, None)
    monkeypatch.setattr(orgfilter, "ALT_MARGIN", 0.0)
    assert orgfilter._decide([(0.47, None), (0.51, alt)], 0.5) == (True, alt, None)  # the margin decides the boundary
    bare = orgfilter.Alt("联盟", 4, 0, {"alt=bare": 1.0})  # 大力支持|联盟: a reference back, when a body is named
    assert orgfilter._decide([(0.30, None), (0.90, bare), (0.60, alt)], 0.5) == (True, alt, bare)
    assert orgfilter._decide([(0.30, None), (0.90, bare), (0.40, alt)], 0.5) == (False, None, bare)
    assert orgfilter._decide([(0.30, None), (0.60, bare), (0.90, alt)], 0.5) == (True, alt, None)


@pytest.mark.parametrize(("text", "name"), [
    ("本报讯南岭市智能装备产业联盟日前成立，成员单位32家。", "南岭市智能装备产业联盟"),
    ("东岭日报7月3日讯南岭市智能装备产业联盟日前成立。", "南岭市智能装备产业联盟"),
])
def test_a_name_starts_after_the_dateline_that_opens_its_sentence(text, name):
    names = _names(text)
    assert name in names
    assert not any(n.endswith(name) and n != name for n in names)  # 本报讯…, 讯… glued on


def test_a_dateline_before_a_bare_suffix_names_nothing():
    from kg.extract.cands import Cand
    from kg.extract.orgparts import after_dateline

    key = "本报讯联盟日前成立南岭市智能装备产业联盟"
    bare, body = Cand(0, 5, "Alliance", "suffix"), Cand(9, len(key), "Alliance", "suffix")
    assert [(c.i, c.j) for c in after_dateline(key, [bare, body])] == [(9, len(key))]
    glued = Cand(0, len(key), "Alliance", "suffix")
    assert [(c.i, c.j) for c in after_dateline(key, [glued])] == [(3, len(key))]
    # a publisher and a date: the name starts after it; the publisher's own (byline) name is left as found
    key = "南岭日报7月3日讯东湖光电技术有限公司成立"
    byline, name = Cand(0, 4, "Organization", "byline"), Cand(0, 20, "Company", "suffix")
    assert [(c.i, c.j, c.how) for c in after_dateline(key, [byline, name])] == [(0, 4, "byline"), (9, 20, "suffix")]
    across = Cand(0, 10, "Organization", "byline")  # a byline across the dateline: the byline pass's, left as found
    assert [(c.i, c.j) for c in after_dateline(key, [across])] == [(0, 10)]
    key = "2024年7月3日讯东湖光电技术有限公司成立"  # the year is the date's
    assert [(c.i, c.j) for c in after_dateline(key, [Cand(0, 20, "Company", "suffix")])] == [(10, 20)]
    # a date alone is no dateline: 讯飞…, 电子… start a name
    for key in ("7月3日讯飞科技有限公司在南岭落户", "5月20日电子商务协会召开年会"):
        name = Cand(key.index("日") + 1, key.index("司" if "司" in key else "会") + 1, "Company", "suffix")
        assert [(c.i, c.j) for c in after_dateline(key, [name])] == [(name.i, name.j)]
