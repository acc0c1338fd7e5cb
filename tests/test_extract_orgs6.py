"""Organizations no pass proposed because they carry no suffix (商汤, 中车): the items of a 、 list whose other items
are names found, or that 等企业 closes, are offered to the learned filter with how they were listed."""

from __future__ import annotations

import pytest

from kg.extract.document import Document
from kg.extract.entities import Ent, Mention
from kg.extract.orgbounds import investors, listed


def _listed(text: str, names: dict[str, str]) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """What :func:`listed` offers for the one sentence ``text`` where the names ``names`` (name -> type) were found:
    name -> (type, how), and the list items it marks (as written)."""
    doc = Document.from_raw("标题\n\n" + text + "\n")
    s = next(s for s in doc.sentences if "、" in s.key)
    taken = []
    for name, typ in names.items():
        e = Ent(name, typ, "rule")
        i = s.key.index(e.key)
        taken.append(Mention(s.index, i, i + len(e.key), e, "rule"))
    ents, where = listed(doc, {s.index: taken}, set(names))
    return {e.name: (e.type, e.how) for e in ents}, {s.key[i:j] for (_, i, j) in where}


@pytest.mark.parametrize(("text", "found", "new"), [
    ("园区与东岭科技有限公司、商汤、南岭光电签约。", {"东岭科技有限公司": "Company"}, {"商汤", "南岭光电"}),
    ("北京东岭科技有限公司、贝洱和中车签约。", {"北京东岭科技有限公司": "Company"}, {"贝洱", "中车"}),
    ("园区吸引了东岭重工、西岭微电子、南岭新材等企业入驻。", {}, {"东岭重工", "西岭微电子", "南岭新材"}),
])
def test_the_items_of_a_list_of_companies_are_offered(text, found, new):
    offered, _ = _listed(text, found)
    assert new <= set(offered), offered
    assert all(t == "Company" for t, _ in offered.values())


def test_how_says_whether_a_neighbour_or_dengqiye_made_the_list():
    offered, _ = _listed("东岭重工、西岭微电子等企业参加。", {})
    assert offered["西岭微电子"][1] == "list_etc"
    offered, _ = _listed("东岭大学、西岭研究院和南岭学院参加。", {"东岭大学": "University", "西岭研究院": "ResearchInstitute"})
    assert offered == {"南岭学院": ("University", "list")} or offered["南岭学院"][1] == "list"


def test_a_list_of_words_no_name_stands_in_offers_nothing():
    offered, items = _listed("园区推进研发、生产、销售一体化。", {})
    assert offered == {} and items == set()


def test_the_first_item_starts_after_the_word_that_leads_into_the_list_not_inside_a_name():
    offered, items = _listed("企业包括西岭微电子、东岭科技有限公司。", {"东岭科技有限公司": "Company"})
    assert set(offered) == {"西岭微电子"}
    offered, items = _listed("北京东岭科技有限公司、贝洱签约。", {"北京东岭科技有限公司": "Company"})
    assert "北京东岭科技有限公司" in items  # not cut at the 有 inside 有限公司


def _invests(text: str) -> dict[str, str]:
    doc = Document.from_raw("标题\n\n" + text + "\n")
    return {e.name: e.how for e in investors(doc, {}, set())}


@pytest.mark.parametrize(("text", "name"), [
    ("南岭工业区,东岭精机投资40亿元设厂。", "东岭精机"),
    ("园区引进了西岭恒丰年产300万件轴承项目。", "西岭恒丰"),
    ("北岭食品斥资3亿元扩厂。", "北岭食品"),
])
def test_a_name_before_a_sum_it_invests_or_a_yearly_output_is_offered_as_a_company(text, name):
    assert _invests(text).get(name) == "invests"


def test_a_total_or_a_name_cut_at_a_one_character_word_is_not_offered():
    assert _invests("项目总投资5亿元。") == {}
    assert "好科技" not in _invests("南岭,冠好科技投资40亿元。")


@pytest.mark.parametrize(("text", "whole"), [
    ("东岭航空有限公司鄂州基地启用。", "东岭航空有限公司鄂州基地"),
    ("西岭汽车股份有限公司诸城厂区投产。", "西岭汽车股份有限公司诸城厂区"),
])
def test_a_site_or_unit_after_a_name_is_offered_as_its_longer_boundary(text, whole):
    from kg.extract import extract_text
    from kg.extract.orgfilter import using

    record: list = []
    with using(None, record):
        extract_text("标题\n\n" + text + "\n", "x")
    alts = {alt: f for _e, f, alt in record if alt}
    assert whole in alts and alts[whole].get("ext_type=unit") == 1.0, sorted(alts)


def test_a_place_in_a_list_of_names_or_before_a_sum_is_no_candidate():
    offered, _ = _listed("东岭科技有限公司、莲湖区、南岭镇等企业和地区参加。", {"东岭科技有限公司": "Company"})
    assert "莲湖区" not in offered and "南岭镇" not in offered
    assert _invests("南岭镇投资5亿元建设道路。") == {}
