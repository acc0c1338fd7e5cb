"""Membership pairs, round 7: one body found under two names, 分别, founders far from the body they found."""

from __future__ import annotations

from kg.extract import extract_text
from kg.extract.document import Document
from kg.extract.learn import Model
from kg.extract.orgs import Ent, Mention, find_entities
from kg.extract.pairs import Pair, Pairs, choose
from kg.extract.relations import find_statements
from kg.extract.samebody import same_bodies

A, B, C = "宁波恒泰新材料有限公司", "浙江华鑫化工股份有限公司", "杭州东信电子有限公司"


def _body(name: str, whole: int, short: int = 0) -> Ent:
    """An alliance the article writes whole ``whole`` times and by a short form ``short`` times."""
    e = Ent(name, "Alliance", "suffix")
    e.mentions = [Mention(k, 0, len(e.key), e, "suffix") for k in range(whole)]
    e.mentions += [Mention(k, 0, 2, e, "alias") for k in range(short)]
    return e


def _members(raw: str) -> set[tuple[str, str, str]]:
    ex = extract_text(raw, "t")
    return {(s.subject.name, s.object.name, s.status) for s in ex.statements if s.is_membership}


def test_a_body_glued_to_a_byline_is_the_body_written_whole():
    glued, whole = _body("讯宁波市新材料人才创新联盟", 0, short=3), _body("宁波市新材料人才创新联盟", 1)
    assert same_bodies([glued, whole]) == {id(glued): whole}


def test_a_body_cut_short_is_the_one_named_in_full():
    full, cut = _body("浙江省高分子材料及辐射加工产业联盟", 4), _body("辐射加工产业联盟", 0, short=5)
    assert same_bodies([full, cut]) == {id(cut): full}
    place, bare = _body("宁波市海曙区企业联合会", 1), _body("海曙区企业联合会", 1)  # a tie: the longer name
    assert same_bodies([place, bare]) == {id(bare): place}


def test_bodies_that_end_alike_are_kinds_not_one_body():
    kind = _body("产业链联盟", 2)
    one, two = _body("集成电路产业链联盟", 1), _body("生物医药产业链联盟", 1)
    assert same_bodies([kind, one, two]) == {}
    assert same_bodies([_body("联盟", 3), _body("讯联盟", 0)]) == {}  # too short a name to say anything
    companies = [Ent("宁波恒泰新材料有限公司", "Company", "suffix"), Ent("恒泰新材料有限公司", "Company", "suffix")]
    assert same_bodies(companies) == {}  # bodies only


def test_the_pairs_of_a_body_found_twice_go_to_one_of_its_names():
    glued, whole = _body("讯宁波市新材料人才创新联盟", 0, short=3), _body("宁波市新材料人才创新联盟", 1)
    pairs = Pairs()
    pairs.expect([glued, whole, Ent(A, "Company", "suffix")])
    assert pairs.canon(glued) is whole and pairs.canon(whole) is whole


def test_respectively_pairs_the_members_with_the_bodies_in_order():
    raw = (f"会上，长三角新材料、生物医药、人工智能3个产业链联盟揭牌，分别以{A}、{B}、{C}为首任联盟理事长单位。"
           "新材料产业链联盟汇聚了众多企业。生物医药产业链联盟成立。人工智能产业链联盟成立。")
    got = {(m, b) for m, b, _ in _members(raw)}
    assert {(A, "新材料产业链联盟"), (B, "生物医药产业链联盟"), (C, "人工智能产业链联盟")} <= got
    assert not {m for m, b in got if b == "产业链联盟"}  # 分别: each its own, not the kind they share


def test_respectively_needs_as_many_members_as_bodies():
    raw = (f"会上，新材料、生物医药2个产业链联盟揭牌，分别以{A}、{B}、{C}为理事长单位。"
           "新材料产业链联盟汇聚了众多企业。生物医药产业链联盟成立。")
    got = {(m, b) for m, b, _ in _members(raw)}
    assert (B, "生物医药产业链联盟") not in got and (C, "生物医药产业链联盟") not in got


def _features(raw: str) -> dict[tuple[str, str], set[str]]:
    doc = Document.from_raw(raw)
    pairs = Pairs()
    find_statements(doc, find_entities(doc, None), None, pairs=pairs)
    return {(p.member.name, p.body.name): set(p.features) for p in pairs.by_key.values()}


def test_founders_that_open_a_long_sentence_are_told_from_the_body_it_founds():
    body = "长江上游新材料产业技术协同创新联盟"
    raw = (f"{A}、{B}、{C}以建设创新创业共同体为着力点，构建长江上游地区新材料服务链，完善创新链和产业链，"
           f"推动科技与经济融合发展，促进新材料产业集群发展，成立{body}。")
    feats = _features(raw)
    assert "body_founded" in feats[(A, body)] and "body_founded" in feats[(C, body)]
    other = _features(f"{body}召开年会，{A}、{B}的代表出席会议并参观了{C}。")
    assert "body_founded" not in other.get((C, body), set())


def test_guests_are_no_members_but_members_that_attend_are():
    body = "浙江省智能装备产业联盟"
    guests = _features(f"{body}揭牌仪式在宁波举行。八十余家联盟成员单位代表参加仪式，{A}、{B}的有关领导出席并致辞。")
    assert "guest" in guests[(A, body)] and "guest" in guests[(B, body)]
    members = _features(f"{body}年会在宁波举行。{A}、{B}、{C}等联盟会员企业代表出席年会。")
    assert "guest" not in members[(A, body)] and "guest" not in members[(C, body)]
    pair = Pair(Ent(A, "Company", "t"), Ent(body, "Alliance", "t"), 0, 0, 2, "active", {"w": 1.0, "guest": 1.0})
    assert choose([pair], Model({"w": 5.0})) == []  # a guest is vetoed however likely the model finds it
    pair.features.pop("guest")
    assert choose([pair], Model({"w": 5.0})) == [pair]


def test_respectively_keeps_what_is_planned_planned():
    raw = (f"新材料、生物医药2个产业链联盟拟于下月揭牌，届时将分别以{A}、{B}为理事长单位。"
           "新材料产业链联盟筹备组成立。生物医药产业链联盟筹备组成立。")
    doc = Document.from_raw(raw)
    pairs = Pairs()
    find_statements(doc, find_entities(doc, None), None, pairs=pairs)
    got = {(p.member.name, p.body.name, p.status) for p in pairs.by_key.values() if "respectively" in p.features}
    assert got == {(A, "新材料产业链联盟", "planned"), (B, "生物医药产业链联盟", "planned")}
    assert not {(m, s) for m, _, s in _members(raw) if s == "active"}
