"""Organization candidates of round 6: the body a party organization is named after, and names cut at a person's title
(kg.extract.orgspans), brackets (kg.extract.orgparts) — run with the filter off, the learned filter keeping or dropping
them — and the filter's own round-6 rules (title-only, rank and kind names; thresholds of bodies), run with it on."""

from __future__ import annotations

import pytest

from kg.extract import extract_text
from kg.extract.learn import load_model
from kg.extract.orgfilter import using


def _orgs(text: str) -> dict[str, str]:
    with using(None):
        ex = extract_text("标题\n\n" + text + "\n", "x")
    return {e.name: e.type for e in ex.orgs}


@pytest.mark.parametrize(("text", "parent", "party"), [
    ("会上，南岭星河电子股份有限公司党总支作交流发言。", "南岭星河电子股份有限公司", "南岭星河电子股份有限公司党总支"),
    ("北岸长风科技有限公司第一党委当选副会长单位。", "北岸长风科技有限公司", "北岸长风科技有限公司第一党委"),
    ("西岭市物流协会党委负责人出席。", "西岭市物流协会", "西岭市物流协会党委"),
])
def test_the_body_a_party_organization_is_named_after_is_an_organization_too(text, parent, party):
    orgs = _orgs(text)
    assert orgs.get(party) == "PartyOrganization"
    assert parent in orgs and orgs[parent] != "PartyOrganization"


def test_the_parent_is_not_what_the_sentence_speaks_of():
    with using(None):
        ex = extract_text("标题\n\n南岭星河电子股份有限公司党支部加入东湖产业园党建联盟。\n", "x")
    members = {st.subject.name for st in ex.statements if st.is_membership}
    assert members == {"南岭星河电子股份有限公司党支部"}


def test_a_party_body_named_without_a_parent_gives_none():
    assert set(_orgs("东湖街道党工委召开会议。")) == {"东湖街道党工委"}  # a place's party body


@pytest.mark.parametrize(("text", "wanted", "unwanted"), [
    ("西湖商会常务副会长王立新作商会年度工作报告。", "西湖商会", "常务副会长"),
    ("东岭街道办事处副主任兼商会常务副主席李明讲话。", "东岭街道办事处", "副主任"),
    ("管委会副主任张建国代表示范区参加签约活动。", None, "副主任"),
])
def test_a_name_never_holds_a_persons_title(text, wanted, unwanted):
    orgs = _orgs(text)
    assert not any(unwanted in n for n in orgs), orgs
    if wanted:
        assert wanted in orgs


@pytest.mark.parametrize("text", ["南岭星河电子有限公司与成都签约。", "北岸长风科技有限公司与全旺镇签约。"])
def test_a_place_a_verb_takes_is_not_an_organization(text):
    assert set(_orgs(text)) == {text[: text.index("公司") + 2]}


def test_a_counts_measure_word_is_not_part_of_a_name():
    orgs = _orgs("园区既有中国企业500强北辰能源股份有限公司，也有专精特新企业。")
    assert "北辰能源股份有限公司" in orgs and "强北辰能源股份有限公司" not in orgs


def test_a_former_body_is_named_without_the_word_former():
    orgs = _orgs("为南岭大学原东湖材料研究院副院长颁发证书。")
    assert set(orgs) == {"南岭大学", "东湖材料研究院"}, orgs



def test_a_name_written_with_a_bracket_has_it_and_the_brackets_name_as_aliases():
    with using(None):
        ex = extract_text("标题\n\n会议由市工信局（大数据发展局）主持，北岸经济技术开发区(东河区)参加。\n", "x")
    orgs = {e.name: e for e in ex.orgs}
    gov = orgs["市工信局"]
    assert {"市工信局(大数据发展局)", "大数据发展局"} <= set(gov.aliases)
    assert "大数据发展局" not in orgs  # the bracket's name is the same body
    assert "北岸经济技术开发区(东河区)" in orgs["北岸经济技术开发区"].aliases
    assert "东河区" not in orgs["北岸经济技术开发区"].aliases and "东河区" not in orgs  # a place is no alias


def test_a_short_form_or_a_description_in_a_bracket_is_no_alias_of_that_kind():
    with using(None):
        ex = extract_text("标题\n\n东岭经济及科技发展局（经科局）与南岭星河电子有限公司（游戏引擎）签约。\n", "x")
    orgs = {e.name: set(e.aliases) for e in ex.orgs}
    assert orgs == {"东岭经济及科技发展局": {"经科局"}, "南岭星河电子有限公司": set()}  # the short form is an alias


def test_a_government_body_named_only_in_officials_titles_is_not_an_organization():
    ex = extract_text("标题\n\n南岭市委常委、副市长王立新，东湖区工信局局长李明出席签约仪式。\n", "x")
    names = {e.name for e in ex.orgs}
    assert not {"南岭市委", "东湖区工信局"} & names, names
    ex = extract_text("标题\n\n东湖区工信局与南岭星河电子有限公司签约，东湖区工信局局长李明出席。\n", "x")
    assert "东湖区工信局" in {e.name for e in ex.orgs}  # named on its own too


@pytest.mark.parametrize(("text", "kept"), [
    ("东岭高新区再添一家国家级众创空间。", {"东岭高新区"}),
    ("南岭星河电子有限公司努力建设学习型商会、服务型商会。", {"南岭星河电子有限公司"}),
])
def test_a_rank_or_a_kind_of_body_is_not_an_organization(text, kept):
    names = {e.name for e in extract_text("标题\n\n" + text + "\n", "x").orgs}
    assert names == kept, names


def _need_of(name: str, typ: str, held: bool = False) -> float:
    from kg.extract import orgfilter
    from kg.extract.entities import Ent, Mention
    from kg.extract.orgbounds import Index

    e = Ent(name, typ, "suffix")
    e.mentions.append(Mention(0, 0, len(e.key), e, "suffix"))
    model = load_model(orgfilter.MODEL_NAME)
    return orgfilter._need(e, Index({0: e.key}, {}, [e], {0: e.mentions}), model, held)


def test_each_kind_of_name_needs_its_own_probability(monkeypatch):
    from kg.extract import orgfilter

    monkeypatch.setattr(orgfilter, "KIND_BODIES", 0.31)
    monkeypatch.setattr(orgfilter, "DROP_BODIES", 0.11)
    monkeypatch.setattr(orgfilter, "ADMIT", 0.77)
    threshold = load_model(orgfilter.MODEL_NAME).threshold
    assert _need_of("南岭星河电子有限公司", "Company") == threshold
    assert _need_of("南岭星河电子有限公司", "Company", held=True) == 0.77  # a name no rule kept
    assert _need_of("东岭新材料产业联盟", "Alliance") == 0.11  # a body with a name: a membership's target
    assert _need_of("区域化党建联盟", "Alliance") == 0.31  # only a kind of body
    assert _need_of("园区党建联盟", "Alliance") == 0.11  # the home park's own body, though its words are a kind
    assert _need_of("园区科技服务中心", "Organization") == 0.11  # the park's own body of any type
