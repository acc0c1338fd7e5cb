"""Names glued to what surrounds them taken apart, and names that only look glued kept whole."""

from __future__ import annotations

import re

import pytest

from kg.extract import extract_text
from kg.extract.document import Document
from kg.extract.known import KnownEntities
from kg.extract.lexicon import COUNT
from kg.extract.orgparts import unglued_spans
from kg.extract.orgs import Builder
from kg.extract.score import from_extraction, score
from kg.extract.tokens import Tokens
from kg.text import name_key


def _mentions(text: str) -> dict[str, str]:
    """Name → type of every mention the sentence pass finds (before the learned filter and the linking)."""
    doc = Document.from_raw(text)
    b = Builder(doc, KnownEntities([]))
    for s in doc.sentences:
        b.sentence(s)
    return {b.written(doc.sentences[m.sent], m.i, m.j): m.ent.type for ms in b.mentions.values() for m in ms}


def _model(sentence: str, span: str, typ: str = "Alliance") -> list[str]:
    """The pieces of the statistical model's span ``span`` of ``sentence``."""
    key = name_key(sentence)
    i = key.index(name_key(span))
    return [key[a:b] for a, b, _, _ in unglued_spans(key, Tokens(key), [(i, i + len(name_key(span)), typ, "model")])]


@pytest.mark.parametrize(("sentence", "span", "pieces"), [
    ("会议审议通过了华强电子加入联盟并任副理事长单位。", "华强电子加入联盟", ["华强电子"]),
    ("经市领导批准,南山东华成为研究会首批发起单位之一。", "南山东华成为研究会", ["南山东华"]),
    ("西湖智联加入商会后成为理事单位。", "西湖智联加入商会", ["西湖智联"]),
    ("会上小米集团踊跃加入联盟。", "小米集团踊跃加入联盟", ["小米集团"]),  # the adverb is no part of the member
])
def test_a_member_its_verb_and_a_bare_suffix_word_are_the_member_alone(sentence, span, pieces):
    assert _model(sentence, span) == pieces


@pytest.mark.parametrize(("text", "member", "word", "body"), [
    ("川南储能产业联盟成立。会议审议通过了华强电子加入联盟并任副理事长单位。", "华强电子", "联盟", "川南储能产业联盟"),
    ("南山国企党建研究会成立。经市领导指示,深圳能源成为研究会九家发起单位之一。", "深圳能源", "研究会",
     "南山国企党建研究会"),
])
def test_the_bare_suffix_word_after_the_verb_refers_back_to_the_body_named_before(text, member, word, body):
    doc = Document.from_raw(text)
    b = Builder(doc, KnownEntities([]))
    for s in doc.sentences:
        b.sentence(s)
    found = b.finish()  # linked and references resolved, not yet filtered
    ms = [(doc.sentences[m.sent].key[m.i : m.j], m.ent.name) for ms in found.by_sentence.values() for m in ms]
    assert (member, member) in ms and (word, body) in ms, ms
    assert not any(name.startswith(member) and name != member for _, name in ms), ms


@pytest.mark.parametrize(("text", "name", "glued"), [
    ("四季青街道牵线江干区工商联举办对接活动。", "江干区工商联", "四季青街道牵线江干区工商联"),
    ("该镇计划利用木伦工业区的厂房建设基地。", "木伦工业区", "利用木伦工业区"),
])
def test_a_verb_glued_on_the_left_of_a_name_is_cut_off(text, name, glued):
    ms = _mentions(text)
    assert name in ms and glued not in ms, ms


def test_a_verb_glued_before_a_bare_suffix_word_leaves_no_name():
    ms = _mentions("中科院院士张锁江通过视频祝贺联盟成立。")
    assert "中科院" in ms and not any(n.endswith("祝贺联盟") for n in ms), ms


def test_a_left_edge_inside_a_word_moves_to_the_word_end():
    key = name_key("要进一步提高城南物流产业园的知名度。")
    i = key.index("高城南")
    pieces = unglued_spans(key, Tokens(key), [(i, key.index("的"), "IndustrialPark", "model")])
    assert [key[a:b] for a, b, _, _ in pieces] == ["城南物流产业园"]


@pytest.mark.parametrize(("text", "party", "government"), [
    ("座谈会上,书记指出:乐山市委市政府出台了支持民营经济发展的意见。", "乐山市委", "市政府"),
    ("园区按照县委县政府的安排部署抢抓项目。", "县委", "县政府"),
    ("积极响应省委省政府推进产业转移的部署。", "省委", "省政府"),
    ("联盟由长清区委区政府共同倡议成立。", "长清区委", "区政府"),
])
def test_a_party_committee_and_a_government_written_together_are_two_bodies(text, party, government):
    ms = _mentions(text)
    assert ms.get(party) == "PartyOrganization" and ms.get(government) == "GovernmentBody", ms
    assert party + government not in ms


def test_a_party_committee_before_a_comma_and_a_government_is_a_body_too():
    ms = _mentions("企业家是发展的主力军,晋阳市委、市政府将一如既往地支持企业。")
    assert ms.get("晋阳市委") == "PartyOrganization" and "市政府" in ms, ms


def test_a_park_name_followed_by_a_generic_park_word_is_the_park_name():
    ms = _mentions("社区党群服务中心、上海天华信息科技园园区党组织等11家单位结对共建。")
    assert "上海天华信息科技园" in ms and "上海天华信息科技园园区" not in ms, ms


@pytest.mark.parametrize("name", ["中国铸造协会", "长泰智能机器人制造产业园", "福建省氢能产业发展创新联盟", "招商银行"])
def test_a_verb_that_is_part_of_a_name_stays(name):
    assert name in _mentions(f"{name}与园区签约合作。")


def test_the_name_after_a_party_committee_and_a_government_and_their_verb_is_a_name_of_its_own():
    ms = _mentions("座谈会上,书记指出:乐山市委市政府高度重视岷江全球总商会的筹备工作。")
    assert ms.get("乐山市委") == "PartyOrganization" and ms.get("市政府") == "GovernmentBody", ms
    assert "岷江全球总商会" in ms, ms


@pytest.mark.parametrize(("text", "present"), [
    ("安徽省国际贸易促进会等40余家联盟理事单位到场参会。", {"安徽省国际贸易促进会"}),
    ("园区30余个协会代表参加活动。", set()),
    ("共有20余所研究院参与。", set()),
])
def test_a_count_before_a_bare_suffix_word_names_no_body(text, present):
    ms = _mentions(text)
    assert present <= ms.keys() and not any(_COUNT_AND_BARE_WORD.fullmatch(n) for n in ms), ms


_COUNT_AND_BARE_WORD = re.compile(r"[\d余多家个所]*(?:联盟|协会|研究院)")


def _names(text: str) -> list[str]:
    return [e.name for e in extract_text(text).entities]


@pytest.mark.parametrize("name", ["深圳市行政审批服务局", "杭州数字化赋能中心", "杭州市科技创新伙伴联盟",
                                  "宁波市再生资源回收利用协会", "宁波市数字经济发展推进中心", "深圳市人才引进服务中心",
                                  "上海市信访接待中心", "成都高新区行政审批服务局", "苏州工业园区行政审批局",
                                  "滨海新区行政审批局"])
def test_a_listed_verb_before_a_generic_stem_and_a_suffix_is_part_of_the_name(name):
    names = _names(f"{name}与园区签约合作。")
    assert name in names and not any(n != name and n in name for n in names), names


def test_a_model_span_holding_a_listed_verb_before_a_generic_stem_stays_whole():
    assert _model("皖江城市带承接产业转移示范区与园区签约合作。", "皖江城市带承接产业转移示范区", "IndustrialPark") == [
        "皖江城市带承接产业转移示范区"]


@pytest.mark.parametrize(("text", "name"), [("深圳市委市政府督查室与园区签约合作。", "深圳市委市政府督查室"),
                                           ("深圳市委市政府督查室到园区检查。", "深圳市委市政府督查室"),
                                           ("南山区委区政府办公室发布通知。", "南山区委区政府办公室"),
                                           ("青岛市委市政府信访局发布通知。", "青岛市委市政府信访局")])
def test_a_body_of_a_party_committee_and_a_government_is_not_split(text, name):
    names = _names(text)
    assert name in names and not any(n != name and (n in name or name in n) for n in names), names


@pytest.mark.parametrize(("text", "bodies"), [
    ("乐山市委市政府主要领导到园区调研。", {"乐山市委", "乐山市政府"}),  # a pair before anything but its office
    ("县委县政府主要领导到园区调研。", {"县委", "县政府"}),
    ("市委市政府相关部门到园区调研。", {"市委", "市政府"}),
    ("乐山市委市政府和市科技局联合发文。", {"乐山市委", "乐山市政府", "市科技局"}),  # 和 starts no office
    ("乐山市委市政府及市发改局联合发文。", {"乐山市委", "乐山市政府", "市发改局"}),
    ("乐山市委市政府", {"乐山市委", "乐山市政府"}),  # a title line: the pair ends the text
    ("长春市委、市政府与吉林市委、市政府签署协议。", {"长春市委", "长春市政府", "吉林市委", "吉林市政府"}),
])
def test_a_party_committee_and_a_government_not_followed_by_their_office_are_two_bodies(text, bodies):
    names = _names(text)
    assert bodies <= set(names) and not any("委市政府" in n or "委县政府" in n for n in names), names


def test_a_joint_group_of_a_party_committee_and_a_government_keeps_no_pair_as_one_body():
    names = _names("北京市委市政府联合调研组到园区调研。")
    assert {"北京市委", "北京市政府"} <= set(names) and "北京市委市政府" not in names, names


def test_a_model_span_of_a_joint_body_stays_whole():
    assert _model("北京市委市政府联合调研组到园区调研。", "北京市委市政府联合调研组", "GovernmentBody") == [
        "北京市委市政府联合调研组"]


def test_two_cities_governments_are_two_bodies_named_after_their_committees():
    ex = extract_text("乐山市委市政府与成都市委市政府签署合作协议。")
    govs = {e.name: e for e in ex.entities if e.type == "GovernmentBody"}
    assert set(govs) == {"乐山市政府", "成都市政府"}, list(govs)
    assert all("市政府" in e.aliases.values() for e in govs.values())
    quotes = {ex.doc.name(*ex.doc.sentences[m.sent].span(m.i, m.j)) for e in govs.values() for m in e.mentions}
    assert quotes == {"市政府"}, quotes  # the mention is as written


def test_the_gold_s_bare_government_still_matches_the_named_one():
    pred = from_extraction(extract_text("座谈会上,乐山市委市政府出台了支持民营经济发展的意见。"))
    gold = {"organizations": [{"name": "乐山市委", "type": "PartyOrganization"},
                              {"name": "市政府", "type": "GovernmentBody"}]}
    assert score(pred, gold)["org_alias"].tp == 2, pred.orgs


def test_a_rule_s_name_starting_inside_a_listed_verb_starts_after_it():  # 对|接洽|洽食品: 对接, then 洽洽
    name = "洽洽食品股份有限公司"
    names = _names(f"企业主动对接{name}。")
    assert name in names and not any(n != name and "洽食品" in n for n in names), names


def test_a_left_edge_inside_a_verb_keeps_a_name_whose_own_first_word_crosses_it():
    assert _model("企业主动对接洽洽食品股份有限公司。", "洽洽食品股份有限公司", "Company") == ["洽洽食品股份有限公司"]


def test_a_left_edge_inside_a_verbal_noun_stays():  # 经营/vn|口: only verbs and set phrases move the edge
    assert _model("园区推进经营口港务集团的项目。", "营口港务集团", "Company") == ["营口港务集团"]


def test_a_bare_research_society_refers_only_to_a_body_named_so():
    ex = extract_text("温州市软件行业协会在瓯海召开年会。东方电子成为研究会理事单位。")
    assoc = next(e for e in ex.entities if e.name == "温州市软件行业协会")
    assert "研究会" not in assoc.aliases, assoc.aliases
    assert not any(m.i == m.j - 3 for m in assoc.mentions if m.sent == 1), assoc.mentions  # no mention at 研究会


@pytest.mark.parametrize(("text", "count"), [("500强新特能源", "500强"), ("40余家联盟", "40余家"),
                                            ("三十多个协会", "三十多个"), ("首批会员", "首批"), ("8家职能部门", "8家"),
                                            ("28座园区", "28座")])
def test_one_count_pattern_reads_every_count_the_rules_met(text, count):
    m = re.match(COUNT, text)
    assert m is not None and m.group() == count, m


@pytest.mark.parametrize("name", ["名创优品", "强生公司", "数字经济联盟", "第三方机构"])
def test_a_name_starting_with_a_measure_or_numeral_character_is_no_count(name):
    assert re.match(COUNT, name) is None


@pytest.mark.parametrize(("text", "glued", "name"), [
    ("会上武侯高新区代表党建联盟发言。", "武侯高新区代表党建联盟", "党建联盟"),  # a body before the verb
    ("会长王建国代表企业家协会致辞。", "王建国代表企业家协会", "企业家协会"),  # a person (代表 tagged a noun)
    ("双方在江北区组建园区党建联盟。", "江北区组建园区党建联盟", "园区党建联盟"),  # a place
])
def test_a_body_place_or_person_before_a_listed_verb_is_no_part_of_the_name_after_it(text, glued, name):
    ms = _mentions(text)
    assert name in ms and glued not in ms and glued not in _names(text), ms


def test_a_bare_government_is_the_one_its_city_s_pair_names():  # the bare 市政府 and 长春市委、市政府's are one body
    names = _names("商会始终作为企业与市委、市政府的桥梁纽带。长春市委、市政府将一如既往地关心支持。")
    assert "长春市政府" in names and "市政府" not in names, names
