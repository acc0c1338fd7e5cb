"""kg extract: figures (indicators) — a sensible (subject, metric, value, unit) or none.

Each test states one class on a short text of its own and asserts what is emitted and, where a rule
could overreach, what must still be emitted.
"""

from __future__ import annotations

from dataclasses import replace

from conftest import figures_of

from kg.extract import extract_text
from kg.extract.document import Document
from kg.extract.figfilter import MIN_NAMED, Context, choose, choose_without_model, features, is_place_word
from kg.extract.figsubject import own_names
from kg.extract.figures import find_figures
from kg.extract.orgs import find_entities
from kg.extract.relations import find_statements


def _figs(raw: str) -> set[tuple[str, str, float, str]]:
    return figures_of(raw, twice=True)  # each organization named twice: see figures_of


def test_a_towns_figure_has_no_organization_subject():
    # issue 17: “某镇140余家生物医药类企业” came out as the park's figure with the town as its metric
    for raw in ("青山经济开发区持续壮大生物医药产业，青山镇140余家生物医药类企业年产值超过80亿元。",
                "青山经济开发区今年生物医药产业集聚，青山镇有140余家生物医药类企业。",
                "青山经济开发区今年新增入驻企业26家。全市已有高新技术企业480家。"):
        figs = _figs(raw)
        assert not {f for f in figs if f[2] in (140, 480)}, figs
        assert not {f for f in figs if is_place_word(f[1])}
    # a district at the head of the metric, a street office named as the subject: the place's figures
    assert not _figs("青山经济开发区今年生物医药产业集聚，青山区有140余家生物医药类企业。")
    assert not {f for f in _figs("青山街道140余家生物医药类企业。青山经济开发区占全区比重65.6%。") if f[2] == 140}
    assert ("青山镇人民政府", "今年新增企业", 20, "家") in _figs("青山镇人民政府今年新增企业20家。")  # a body
    figs = _figs("青山经济开发区今年新增入驻企业26家。全市已有高新技术企业480家。")
    assert ("青山经济开发区", "今年新增入驻企业", 26, "家") in figs


def test_a_transfer_between_two_bodies_is_nobodys_figure():
    figs = _figs("华夏银行股份有限公司青山支行与青山经济开发区管委会签署战略合作协议，"
                 "三年内为园区企业提供50亿元意向授信。"
                 "青山产业投资基金向青山明辉科技有限公司投资2亿元。"
                 "青山明辉科技有限公司与青山经济开发区签约，计划投资10亿元建设生产基地。")
    assert not figs


def test_the_park_named_before_another_organization_is_not_the_subject():
    figs = _figs("青山经济开发区规划面积12.6平方公里。"
                 "园区内的青山星火科技企业孵化器由青山城投发展有限公司负责运营，目前在孵企业38家。")
    assert ("青山经济开发区", "规划面积", 12.6, "平方公里") in figs
    assert not {f for f in figs if f[2] == 38}


def test_a_growth_rate_names_what_grew_and_numbers_with_thousands_separators():
    figs = _figs("今年前三季度，青山经济开发区实现规上工业产值612亿元，同比增长8.3%，进驻厂商约5,600家。")
    assert {("青山经济开发区", "实现规上工业产值", 612, "亿元"),
            ("青山经济开发区", "实现规上工业产值同比增长", 8.3, "%"),
            ("青山经济开发区", "进驻厂商", 5600, "家")} <= figs
    assert not _figs("青山经济开发区今年整车产量42.6万辆，同比增长37.8%。")  # a growth of a figure not read


def test_a_verb_only_metric_takes_the_noun_after_the_number_and_the_old_value_is_none():
    figs = _figs("青山新材料产业联盟再迎16家新成员，联盟成员总数由67家增至86家。")
    assert ("青山新材料产业联盟", "再迎新成员", 16, "家") in figs
    assert not {f for f in figs if f[2] == 67}


def test_zai_stays_in_zaifu_and_zaice():
    figs = _figs("青山星火科技企业孵化器目前在孵企业38家，在册企业52家。")
    incubator = "青山星火科技企业孵化器"
    assert {(incubator, "目前在孵企业", 38, "家"), (incubator, "在册企业", 52, "家")} <= figs


def test_proposed_figures_carry_every_subject_considered_and_the_rules_choose_their_own():
    raw = ("青山新材料产业联盟与青山经济开发区签约。"
           "青山新材料产业联盟今年新吸纳成员单位12家。青山经济开发区今年新增入驻企业26家，实现产值80亿元。")
    doc = Document.from_raw(raw)
    found = find_entities(doc, None)
    statements, _extra = find_statements(doc, found, None)
    proposed = find_figures(doc, found, statements, proposed=True)
    groups: dict[tuple, list] = {}
    for f in proposed:
        groups.setdefault((f.sent, f.context.num), []).append(f.context)
    assert len(groups) == 3
    for group in groups.values():
        assert group[0].named == 2 and group[0].sources[0].startswith("rule_") and choose_without_model(group) == 0
        assert choose(group) == 0  # no figures model ships: the rules decide
        assert choose_without_model(group, min_named=3) is None  # each subject is named twice
    count = next(g for g in groups.values() if g[0].value == 26)
    assert {"prev"} <= {s for c in count for s in c.sources}  # the alliance named in the sentence before


def test_features_are_general_names():
    key = "园区实现规上工业产值612亿元，同比增长8.3%"
    c = Context(key, (20, 24), "规上工业产值同比增长", 16, "IndustrialPark", ("rule_carried", "home"), 2, 0, False,
                "before", "rate", "%", "exact", 8.3, False, False, ("main",), named=2)
    unnamed = replace(c, named=Context.__dataclass_fields__["named"].default)  # a path that counts no naming
    assert choose_without_model([c]) == 0 and choose_without_model([unnamed]) is None  # fails safe
    f = features(c)
    assert {"src=rule_carried", "src=home", "rival=main", "cue_growth", "percent", "after=mark"} <= set(f)
    assert "subj_in_clause" not in f  # named in the clause before
    assert not [k for k in f if "园区" in k or "产值" in k]  # no text-specific strings
    town = features(Context("青山镇140家企业", (3, 7), "青山镇", 0, "IndustrialPark", ("rule_home",), None, 0,
                            False, "before", "count", "家", "余", 140.0, False, False, named=2))
    assert {"metric_is_place", "dist=none", "approx"} <= set(town)


def test_a_company_settling_in_the_park_gives_the_park_none_of_its_figures():
    figs = _figs("青山明辉科技有限公司将生产基地整体迁入青山经济开发区，全年实现营收7.8亿元。"
                 "青山经济开发区今年新增入驻企业26家。")
    assert figs == {("青山经济开发区", "今年新增入驻企业", 26, "家")}


def test_durations_ranks_and_percentage_points_are_no_figures():
    figs = _figs("青山产业联盟在试运行5个月后正式成立。青山经济开发区综合排名列第12位，产值提高3个百分点，"
                 "今年新增入驻企业26家。")
    assert figs == {("青山经济开发区", "今年新增入驻企业", 26, "家")}


def test_a_project_in_the_park_and_a_figure_of_what_follows_are_not_the_parks():
    figs = _figs("青山智造园定制厂房项目位于青山经济开发区，总投资3.5亿元，建筑总面积约8.7万平方米。"
                 "活动现场包含年度投资逾350亿元的青山明辉科技有限公司。"
                 "青山经济开发区今年新增入驻企业26家。")
    assert figs == {("青山经济开发区", "今年新增入驻企业", 26, "家")}


def test_a_metric_must_name_what_is_measured_and_not_be_an_organization():
    figs = _figs("青山明辉科技有限公司党委、青山经济开发区企业联合党委6家党组织当选副会长单位。"
                 "青山产业联盟联席会议上11个成员单位负责人发言。"
                 "青山经济开发区现有注册企业3238家。")
    assert figs == {("青山经济开发区", "现有注册企业", 3238, "家")}



def test_a_count_of_units_joining_or_founding_a_body_named_after_it_is_its_member_count():
    figs = _figs("青山经济开发区党工委牵头，联合上下游企业共34家成员单位正式成立青山石化产业链党建联盟。")
    assert ("青山石化产业链党建联盟", "成员单位数量", 34, "家") in figs
    assert not {f for f in figs if f[2] == 34 and f[0] != "青山石化产业链党建联盟"}


def test_a_member_count_with_no_subject_in_its_clause_is_of_the_body_named_last():
    figs = _figs("青山经济开发区商会成立大会在青山创新基地召开，首批会员单位共51家。"
                 "会议选举产生理事单位18个。")
    assert {("青山经济开发区商会", "首批会员单位", 51, "家"),
            ("青山经济开发区商会", "会议选举产生理事单位", 18, "个")} <= figs
    assert not _figs("青山明辉科技有限公司在青山创新基地召开大会，首批会员单位共51家。")  # no body with members


def test_a_unit_that_names_what_is_counted_needs_no_noun_in_the_metric():
    figs = _figs("青山经济开发区今年开展体检3,530人，刻章192套。青山经济开发区举办的招聘活动近200人参与。"
                 "青山经济开发区企业研发投入占营业收入的比重5.6%。")
    assert {("青山经济开发区", "今年开展体检", 3530, "人"), ("青山经济开发区", "刻章", 192, "套"),
            ("青山经济开发区", "企业研发投入占营业收入的比重", 5.6, "%")} <= figs
    assert not {f for f in figs if f[2] == 200}


def test_many_bodies_a_later_list_item_or_a_described_noun_give_no_subject():
    # 各孵化器 speaks of many bodies, none named: not the figure of an incubator named earlier
    figs = _figs("青山经济开发区今年新增入驻企业26家。青山星火科技企业孵化器今年投用，各孵化器共拥有35个公共服务平台。")
    assert ("青山经济开发区", "今年新增入驻企业", 26, "家") in figs
    assert not {f for f in figs if f[2] == 35}, figs
    # a figure carried past a later item of a list (洽谈A、B、C等项目，促成签约…) is not that item's
    figs = _figs("今年来，青山区党政主要领导带队外出招商10次，先后举办9场签约活动，积极跟踪洽谈明辉传感器、"
                 "青山立体交通智能制造产业园、星火冷链电商智慧物流园等产业性项目，促成签约项目73个，总投资224.99亿元。")
    assert not {f for f in figs if f[0] == "青山立体交通智能制造产业园"}, figs
    # a figure in a phrase that describes what follows (…投资26.6亿元扩建新厂的X) is not the carried subject's
    figs = _figs("青山经济开发区举行签约仪式，包含投资26.6亿元扩建新厂及总部大楼的青山明辉电机。")
    assert not {f for f in figs if f[2] == 26.6}, figs
    # 则有Y投资…: Y, named in the metric, is whose figure it is
    figs = _figs("青山科学园区则有美商青山光电投资1.5亿元。青山科学园区今年新增入驻企业12家。")
    assert not {f for f in figs if f[2] == 1.5 and f[0] != "美商青山光电"}, figs  # Y's, when Y is found, or none
    assert ("青山科学园区", "今年新增入驻企业", 12, "家") in figs


def test_ten_thousand_square_metres_are_converted_and_square_gongchi_is_a_unit():
    # the annotation guide converts 万 (1.2万 → 12000) except in money units (33.13亿元, 500万元)
    figs = _figs("青山经济开发区孵化场总面积近100万平方米，今年新增投资500万元。"
                 "青山科技產業園區興建廠房樓地板面積19,000平方公尺。")
    assert ("青山经济开发区", "孵化场总面积", 1000000, "平方米") in figs, figs
    assert ("青山经济开发区", "今年新增投资", 500, "万元") in figs, figs
    assert {f for f in figs if f[2] == 19000 and f[3] == "平方公尺"}, figs


def test_a_plants_yearly_capacity_is_no_metric_but_a_yearly_output_is():
    # 年产 opening the metric or right before the number is what a plant makes, not the organization's figure
    assert not _figs("青山明辉科技有限公司年产钢材50万吨。青山明辉科技有限公司计划投资的年产15万平方米厂房项目开工。")
    # 年产 inside a longer metric (全年产量, 去年产量, 亩均年产出) is the organization's figure
    figs = _figs("青山经济开发区全年产量达到50万吨。青山经济开发区去年产量达到40万吨。"
                 "青山经济开发区亩均年产出达到300万元。")
    assert {f[2] for f in figs if f[0] == "青山经济开发区"} == {500000, 400000, 300}


def test_a_subject_the_article_names_once_by_a_name_of_its_own_gives_no_figure():
    # a name written once (glued to a headline's words, cut short, named in passing) is no settled subject: on the
    # dev batches at first sight such subjects were right 14 times in 47, those named twice 75 times in 124
    twice = "青山经济开发区召开推进会。青山经济开发区今年新增入驻企业30家，实现产值50亿元。"
    both = {("青山经济开发区", "今年新增入驻企业", 30, "家"), ("青山经济开发区", "实现产值", 50, "亿元")}
    assert figures_of(twice) == both and MIN_NAMED == 2
    once = "青山经济开发区今年新增入驻企业30家，实现产值50亿元。"
    assert not figures_of(once) and _figs(once) == both  # written twice, it gives them
    # a bare kind word (园区, 聯盟) linked back to the body is no name of its own…
    assert not figures_of("青山经济开发区召开推进会。园区今年新增入驻企业30家，实现产值50亿元。")
    assert not figures_of("青山經濟開發區召開推進會。園區今年新增入駐企業30家。")
    # …unless the article declared it the body's short form (以下简称“开发区”/「聯盟」), in either script
    for word in ("开发区", "园区"):
        raw = f"青山经济开发区（以下简称“{word}”）召开推进会。{word}今年新增入驻企业30家，实现产值50亿元。"
        assert figures_of(raw) == both, word
    assert figures_of("青山机器人产业联盟（以下简称“联盟”）成立。联盟成员单位已达80家。") == {
        ("青山机器人产业联盟", "成员单位已", 80, "家")}
    assert figures_of("青山機器人產業聯盟（以下簡稱「聯盟」）成立。聯盟成員單位已達80家。") == {
        ("青山機器人產業聯盟", "成员单位已", 80, "家")}
    short = "青山经济技术开发区（简称青山经开区）召开推进会。青山经开区今年新增入驻企业30家。"
    assert figures_of(short) == {("青山经济技术开发区", "今年新增入驻企业", 30, "家")}
    # a body with members: named twice, its member count; named once, none
    assert figures_of("青山机器人产业联盟成立。目前，青山机器人产业联盟成员单位已达80家。") == {
        ("青山机器人产业联盟", "成员单位已", 80, "家")}
    assert not figures_of("目前，青山机器人产业联盟成员单位已达80家。")
    # every member count (rules list and members) keeps its figure however often the body is named: such counts
    # were right 11 times in 14 at first sight
    listed = "青山红领党建共同体吸纳青山明辉纸业有限公司、青山星火科技有限公司等13个基层党组织为成员单位。"
    assert figures_of(listed) == {("青山红领党建共同体", "成员单位数", 13, "个")}
    body = "青山机器人产业联盟"
    assert figures_of(f"目前，{body}共有成员单位80家。") == {(body, "成员单位数量", 80, "家")}
    assert figures_of(f"{body}新吸纳12家企业为成员单位。") == {(body, "成员单位数", 12, "家")}


def test_own_names_counts_the_mentions_that_name_the_organization_by_a_name_of_its_own():
    raw = "青山机器人产业联盟成立。该联盟成员单位已达80家。"
    doc = Document.from_raw(raw)
    found = find_entities(doc, None)
    body = next(e for e in found.ents if e.name == "青山机器人产业联盟")
    assert [doc.sentences[m.sent].key[m.i : m.j] for m in body.mentions] == ["青山机器人产业联盟", "联盟"]
    assert own_names(doc, found)[id(body)] == 1  # 联盟 of 该联盟 is linked to it, but is a bare kind word
    assert not extract_text(raw, "t").figures
    raw = "青山经济开发区召开推进会。园区今年新增企业30家。青山经济开发区实现产值50亿元。"
    doc = Document.from_raw(raw)
    found = find_entities(doc, None)
    park = next(e for e in found.ents if e.name == "青山经济开发区")
    assert [doc.sentences[m.sent].key[m.i : m.j] for m in park.mentions if m.i < m.j] == [
        "青山经济开发区", "园区", "青山经济开发区"]
    assert own_names(doc, found)[id(park)] == 2


def test_own_names_counts_what_the_sentences_keep_not_a_parent_inside_another_name():
    # 青山明辉科技有限公司 inside 青山明辉科技有限公司党委 is the committee's name, not a naming of the company
    raw = "青山明辉科技有限公司党委召开大会。青山明辉科技有限公司今年实现产值5亿元。"
    doc = Document.from_raw(raw)
    found = find_entities(doc, None)
    company = next(e for e in found.ents if e.name == "青山明辉科技有限公司")
    assert [(m.sent, m.how) for m in company.mentions] == [(0, "parent"), (1, "suffix")]
    assert own_names(doc, found)[id(company)] == 1 and not extract_text(raw, "t").figures
    assert figures_of(raw + "青山明辉科技有限公司召开大会。") == {("青山明辉科技有限公司", "今年实现产值", 5, "亿元")}


def test_a_metric_after_the_number_needs_its_subject_named_in_its_clause():
    # 新建2栋标准厂房 with the park carried from the clause before: a project's or a plan's most often (1 right in
    # 13 on the dev batches at first sight); the same figure with the metric before it, or the park named, stays
    intro = "青山经济开发区召开推进会。"
    assert _figs(intro + "青山经济开发区今年实现产值50亿元，新建2栋标准厂房。") == {
        ("青山经济开发区", "今年实现产值", 50, "亿元")}
    assert _figs(intro + "青山经济开发区今年实现产值50亿元，新建标准厂房2栋。") == {
        ("青山经济开发区", "今年实现产值", 50, "亿元"), ("青山经济开发区", "新建标准厂房", 2, "栋")}
    assert _figs(intro + "今年青山经济开发区新建2栋标准厂房。") == {("青山经济开发区", "新建标准厂房", 2, "栋")}
