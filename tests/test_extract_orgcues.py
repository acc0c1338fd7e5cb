"""Cues that a proposed name is no body the annotation lists (kg.extract.orgcues): a body named only in an official's
title however the title is worded, a kind or a set of bodies, a project — as the organization filter sees them."""

from __future__ import annotations

import pytest

from kg.extract import extract_text
from kg.extract.entities import Ent, Mention
from kg.extract.orgbounds import Alt, Index, paired_with_china
from kg.extract.orgcues import (
    a_set_or_kind,
    a_venue,
    held_at,
    in_its_party_name,
    name_cues,
    names_a_project,
    project_after,
    title_after,
    title_later,
)
from kg.extract.orgfilter import ent_features


def _names(text: str) -> set[str]:
    return {e.name for e in extract_text("标题\n\n" + text + "\n", "x").orgs}


def _features(sentence: str, name: str, typ: str = "Organization") -> dict[str, float]:
    i = sentence.index(name)
    e = Ent(name, typ, "suffix")
    e.mentions.append(Mention(0, i, i + len(e.key), e, "suffix"))
    return ent_features(e, Index({0: sentence}, {}, [e], {0: e.mentions}))


@pytest.mark.parametrize(("key", "j"), [
    ("东湖区工信局原巡视员李明出席", 6),  # a former official
    ("南岭市科技局党组书记、局长王立", 6),  # the body's party group
    ("西岭市人民政府驻北京办事处主任张华", 7),  # a post the official holds
    ("东湖综合保税区管委会专职副主任赵强", 10),  # a rank before the title
    ("北岸国际工程院院士孙伟", 7),  # an academician
    ("南岭海关关长周明", 4),
])
def test_an_officials_title_is_seen_however_it_is_worded(key, j):
    assert title_after(key, j)


@pytest.mark.parametrize(("key", "j"), [
    ("东湖区工信局发布新政策", 6),
    ("南岭市科技局与西岭大学签约", 6),
    ("东湖区工信局驻点服务企业", 6),  # 驻 with no title after it
])
def test_what_a_body_does_is_no_title(key, j):
    assert not title_after(key, j)


def test_a_government_body_named_only_in_reworded_titles_is_not_an_organization():
    names = _names("东湖区工信局原巡视员李明、南岭市科技局党组书记王立出席南岭星河电子有限公司揭牌仪式。")
    assert "南岭星河电子有限公司" in names
    assert not {"东湖区工信局", "南岭市科技局"} & names, names
    names = _names("南岭市科技局与南岭星河电子有限公司签约，南岭市科技局党组书记王立出席。")
    assert "南岭市科技局" in names  # it acts too


@pytest.mark.parametrize(("key", "j"), [
    ("东湖县统战部张明副部长出席", 5),  # the official's name between
    ("南岭科技部高新司原巡视员李立", 5),  # a unit of the body between
    ("西岭区委组织部部长王强", 4),
])
def test_a_title_after_a_name_or_a_unit_is_seen(key, j):
    assert title_later(key, j) and not title_after(key, j)


@pytest.mark.parametrize(("key", "j"), [
    ("南岭市科技局相关负责人表示", 6),  # a spokesman: the body speaks
    ("东湖区工信局局长李明", 6),  # right after it: title_after
    ("南岭市科技局与会长单位签约", 6),
    ("东湖区工信局发布新政策", 6),
    ("南岭县委召开常委会议", 4),  # the body acts: a meeting, or the people it acts on
    ("南岭县委召开了常委会议", 4),
    ("南岭区人大常委会召开主任会议", 8),
    ("南岭区政协组织委员视察", 5),
    ("南岭市科技局邀请院士调研", 6),
])
def test_no_title_later_where_none_follows_a_name_or_unit(key, j):
    assert not title_later(key, j)


def test_a_government_body_named_only_before_an_officials_name_and_title_is_not_an_organization():
    names = _names("东湖县统战部张明副部长、南岭科技部高新司原巡视员李立出席南岭星河电子有限公司揭牌仪式。")
    assert "南岭星河电子有限公司" in names
    assert not {"东湖县统战部", "南岭科技部"} & names, names


@pytest.mark.parametrize(("text", "body"), [
    ("南岭县委召开常委会议，研究南岭星河电子有限公司项目。", "南岭县委"),
    ("南岭市科技局邀请院士到南岭星河电子有限公司调研。", "南岭市科技局"),
    ("南岭区人大常委会召开主任会议，听取南岭星河电子有限公司汇报。", "南岭区人大常委会"),
])
def test_a_government_body_that_acts_before_a_title_is_an_organization(text, body):
    assert body in _names(text)


@pytest.mark.parametrize(("name", "cue"), [
    ("东湖各支部", "quantified"),
    ("南岭众多孵化器", "quantified"),
    ("西岭五家协会", "quantified"),
    ("北岸八大产业联盟", "quantified"),
    ("当地街道", "quantified"),
    ("建材企业", "kind_noun_end"),
    ("市属单位", "kind_noun_end"),
    ("高等院校", "kind_noun_end"),
    ("券商", "kind_noun_end"),
])
def test_a_set_or_a_kind_of_bodies_carries_its_cue(name, cue):
    f: dict[str, float] = {}
    name_cues(f, name)
    assert cue in f, f


@pytest.mark.parametrize("name", ["南岭星河电子有限公司", "东湖科技企业孵化器", "西岭大学", "北岸建材集团",
                                  "第一汽车制造厂"])
def test_a_named_body_carries_neither_cue(name):
    f: dict[str, float] = {}
    name_cues(f, name)
    assert not {"quantified", "kind_noun_end"} & set(f), f


def test_the_filter_sees_the_cues_of_a_name_and_of_what_follows_it():
    f = _features("东湖区建材企业代表出席。", "建材企业")
    assert f.get("kind_noun_end") == 1.0 and "quantified" not in f
    f = _features("东湖区与西岭集团签署南岭电子产业园项目。", "南岭电子产业园", "IndustrialPark")
    assert f.get("project_after") == 1.0
    f = _features("南岭电子产业园位于东湖区。", "南岭电子产业园", "IndustrialPark")
    assert "project_after" not in f and "kind_noun_end" not in f
    f = _features("会上，东湖区工信局原巡视员李明致辞。", "东湖区工信局", "GovernmentBody")
    assert f.get("title_after") == 1.0


def test_a_project_is_seen_after_its_name():
    assert project_after("签约南岭电子产业园二期", 9)
    assert not project_after("南岭电子产业园项", 7)


def test_a_park_or_centre_named_only_as_a_project_is_not_an_organization():
    names = _names("东湖高新区与西岭星河集团有限公司签署南岭电子产业园项目、北岸新材料研发中心项目。")
    assert names == {"东湖高新区", "西岭星河集团有限公司"}, names  # the company that signs stays
    names = _names("东湖高新区与西岭星河集团有限公司签署南岭电子产业园项目。南岭电子产业园已入驻企业30家。")
    assert "南岭电子产业园" in names  # named on its own too


def test_a_project_word_that_ends_no_project_name_is_no_project():
    assert names_a_project("签署南岭电子产业园项目。", 9)
    assert not names_a_project("南岭电子产业园项目部设在东湖", 7)
    assert not names_a_project("北岸枸杞产业联盟项目合作企业", 8)


def test_a_hall_an_event_is_held_in_is_no_organization():
    names = _names("南岭星河电子有限公司成立大会在东湖国际宴会厅举行，嘉宾参观了西岭青年创意体验馆。")
    assert names == {"南岭星河电子有限公司"}, names
    assert a_venue("东湖多功能演播厅") and not a_venue("南岭省文化和旅游发展厅") and not a_venue("东湖国际酒店")


def test_a_set_or_a_kind_of_bodies_is_no_organization():
    names = _names("南岭产业联盟成员涵盖市属单位、地方国企、券商和南岭星河电子有限公司。")
    assert names == {"南岭产业联盟", "南岭星河电子有限公司"}, names
    names = _names("东湖高新区的西岭八大产业联盟、众多孵化器与南岭星河电子有限公司签约。")
    assert names == {"东湖高新区", "南岭星河电子有限公司"}, names
    names = _names("北岸新材料联盟由东湖大学、南岭五家协会和各县区行业党建子联盟共同发起。")
    assert names == {"北岸新材料联盟", "东湖大学"}, names
    assert a_set_or_kind("西岭八大产业联盟") and a_set_or_kind("市属单位") and a_set_or_kind("地方国企")
    assert not a_set_or_kind("统一企业")  # a Taiwanese company is named …企業: only the filter's cue
    assert not a_set_or_kind("所在属地东湖街道党总支")  # 属地 in a name: only the filter's cue


def test_a_company_whose_name_holds_a_number_is_no_set_of_bodies():
    assert not a_set_or_kind("两岸一家亲大联盟")  # 一家: one body, or a name's word
    names = _names("南岭百大集团与西岭星河电子有限公司签约，两岸一家亲大联盟见证。")
    assert {"南岭百大集团", "西岭星河电子有限公司"} <= names, names  # a company is never dropped as a set


def test_a_number_or_a_hall_word_inside_a_real_name_drops_nothing():
    for name in ("五大连池市人民政府", "五家渠市人民政府", "中电科38所", "中电科十四所", "南岭市各界联合会"):
        assert not a_set_or_kind(name), name  # a place, an institute, one body
    assert a_set_or_kind("十所高校") and a_set_or_kind("南岭五家协会")  # a number of bodies, kind words after it
    for name in ("上海科技馆", "中国国家博物馆", "深圳会展中心"):
        assert not a_venue(name), name  # institutions that sign, not rooms
    assert "五大连池市人民政府" in _names("五大连池市人民政府与南岭星河电子有限公司签署合作协议。")
    assert "上海科技馆" in _names("上海科技馆与南岭星河电子有限公司签署战略合作协议。")


@pytest.mark.parametrize("name", ["世界知名大学", "欧美一流大学", "江苏高水平大学"])
def test_a_body_only_praised_is_a_kind(name):
    assert a_set_or_kind(name)


@pytest.mark.parametrize("name", ["南岭智能计算国家级重点实验室", "南岭农业产业化龙头企业协会", "南岭大学"])
def test_a_named_body_with_a_rank_in_its_name_is_no_kind(name):
    assert not a_set_or_kind(name)


@pytest.mark.parametrize("name", ["广西园区", "云南工业园区", "湖北省开发区", "京津冀国家高新区", "成渝地区国家高新区",
                                  "中国国家级高新区", "中外园区", "粤港澳大湾区园区", "吉林省开发区"])
def test_the_parks_of_a_province_or_region_are_a_set(name):
    assert a_set_or_kind(name)


@pytest.mark.parametrize("name", ["天津开发区", "重庆高新区", "南宁高新区", "广西东盟经济技术开发区", "苏州工业园区",
                                  "云南滇中新区", "吉林高新区", "吉林经开区"])
def test_a_park_a_city_names_or_with_its_own_name_is_no_set(name):
    assert not a_set_or_kind(name)


def test_the_parks_of_a_region_are_not_an_organization():
    names = _names("今年以来，广西园区运行向好，南宁高新区与西岭星河电子有限公司签约，京津冀国家高新区代表参会。"
                   "南宁高新区将建设新厂。")  # the park named most often is the article's own: always kept
    assert {"南宁高新区", "西岭星河电子有限公司"} <= names
    assert not {"广西园区", "京津冀国家高新区"} & names, names


def test_a_park_of_the_city_a_province_is_named_after_is_an_organization():
    # 吉林 is a province and a city: 吉林高新区 is the city's park, named once here (not the article's own)
    assert "吉林高新区" in _names("南宁高新区与吉林高新区签署战略合作协议。南宁高新区将建设新厂。")


def test_a_group_of_people_a_body_sends_is_not_an_organization():
    names = _names("南岭区党政代表团考察了西岭星河电子有限公司，东湖区招商团一行走访了北岸新材料有限公司。")
    assert {"西岭星河电子有限公司", "北岸新材料有限公司"} <= names
    assert not {"南岭区党政代表团", "东湖区招商团"} & names, names


def test_a_name_after_china_and_a_dash_is_named_with_the_pair():
    names = _names("南岭新区加入中国—中亚合作组织产业园区联盟，共建中国—中亚合作组织产业园区联盟。")
    assert "中国—中亚合作组织产业园区联盟" in names, names
    assert "中亚合作组织产业园区联盟" not in names


def test_a_name_after_china_written_with_two_dashes_keeps_every_mention():
    # 中国—X and 中国-X: the first mention was moved to a new entity the filter never kept, and so was lost
    raw = "南岭新区加入中国—中亚合作组织产业园区联盟，共建中国-中亚合作组织产业园区联盟。"
    e = {e.name: e for e in extract_text("标题\n\n" + raw + "\n", "x").orgs}
    assert sum(len(x.mentions) for n, x in e.items() if n.endswith("中亚合作组织产业园区联盟")) == 2, e


def test_the_pair_with_china_is_none_when_its_mentions_are_written_differently():
    keys = {0: "加入中国—中亚联盟", 1: "共建中国-中亚联盟", 2: "共建中国—中亚联盟"}
    e = Ent("中亚联盟", "Alliance", "suffix")
    e.mentions = [Mention(0, 5, 9, e, "suffix"), Mention(2, 5, 9, e, "suffix")]
    assert paired_with_china(e, keys) == Alt("中国—中亚联盟", -3, 0, {})
    e.mentions.append(Mention(1, 5, 9, e, "suffix"))
    assert paired_with_china(e, keys) is None
    assert paired_with_china(Ent("中亚联盟", "Alliance", "suffix"), keys) is None  # no mention: nothing to pair


# ---------------------------------------------------------------- units named in their party organization's name


@pytest.mark.parametrize(("key", "j", "party"), [
    ("南岭星河电子有限公司党支部、", 10, True),
    ("南岭理工学院联合党总支", 6, True),
    ("联想集团有限公司第一党委", 8, True),
    ("东湖高新区党工委", 5, True),
    ("南岭星河电子有限公司党组织", 10, False),  # the party organizations of it, no name
    ("南岭星河电子有限公司党委书记张明", 10, False),  # an official's title: the company is listed
    ("南岭星河电子有限公司党组成员、副总经理", 10, False),
    ("南岭星河电子有限公司董事长", 10, False),
])
def test_a_unit_is_seen_named_only_in_its_party_organizations_name(key, j, party):
    assert in_its_party_name(key, j) is party


def test_a_unit_named_only_in_its_party_organizations_name_is_not_an_organization():
    names = _names("南岭星河电子有限公司党支部、西岭永丰商贸城有限公司党支部等12家党组织成为东湖社区的共建单位。")
    assert {"南岭星河电子有限公司党支部", "西岭永丰商贸城有限公司党支部"} <= names, names
    assert not {"南岭星河电子有限公司", "西岭永丰商贸城有限公司"} & names, names


def test_a_unit_also_named_on_its_own_is_an_organization():
    names = _names("南岭星河电子有限公司党支部与东湖社区结对共建。南岭星河电子有限公司投资5亿元建设新厂。")
    assert {"南岭星河电子有限公司党支部", "南岭星河电子有限公司"} <= names, names


def test_a_unit_whose_officials_title_names_it_through_its_party_committee_is_an_organization():
    names = _names("南岭星河电子有限公司党委书记张明出席东湖社区党建联盟成立大会。")
    assert "南岭星河电子有限公司" in names, names


# ---------------------------------------------------------------- halls where an event is held


@pytest.mark.parametrize(("key", "span", "held"), [
    ("商会年会在南岭万怡酒店隆重举行", (5, 11), True),
    ("大会于南岭国际会议中心召开", (3, 11), True),
    ("论坛假东湖礁溪中天温泉度假饭店举办", (7, 15), True),  # a place between 假 and the hall
    ("南岭万怡酒店与东湖商会签约", (0, 6), False),  # the hotel acts
    ("会员南岭万怡酒店举行开业仪式", (2, 8), False),  # no 在/于/假 before it
    ("年会在南岭万怡酒店,会员单位举行签约", (3, 9), False),  # the event in another clause (a key's comma)
    ("论坛在东湖,南岭万怡酒店举办", (6, 12), False),  # 在 in another clause
])
def test_a_hall_an_event_is_held_at_is_seen(key, span, held):
    assert held_at(key, *span) is held


def test_a_hotel_named_only_as_where_an_event_is_held_is_not_an_organization():
    names = _names("东湖商会2024年度年会在南岭万怡酒店隆重举行，南岭星河电子有限公司等会员企业参加。")
    assert "东湖商会" in names and "南岭星河电子有限公司" in names, names
    assert "南岭万怡酒店" not in names, names


def test_a_hotel_that_acts_is_an_organization():
    names = _names("东湖商会年会在南岭万怡酒店举行。南岭万怡酒店与东湖商会签署战略合作协议。")
    assert "南岭万怡酒店" in names, names


def test_a_kind_of_body_named_only_after_a_count_of_them_is_no_name():
    names = _names("南岭市科技局支持东湖钢铁集团、西岭电子集团等龙头企业牵头组建10家企业创新联合体，"
                   "集聚科研人员协同创新。")
    assert "东湖钢铁集团" in names, names
    assert not any(n.endswith("创新联合体") for n in names), names


def test_a_quoted_name_after_a_count_is_a_name():
    names = _names("工研院将携手17个研发法人筹组「法人汇智联盟」，与业界共同推动创新。")
    assert any(n.endswith("法人汇智联盟") for n in names), names
