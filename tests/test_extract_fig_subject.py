"""kg extract: a figure is emitted only when the text settles whose it is (kg/extract/figsubject.py).

Each test states one class on short texts of its own: what must not be given to the park, and beside it
the nearest wording where the park's figure must still be emitted. The scorer's quantities close the file.
"""

from __future__ import annotations

import pytest
from conftest import figures_of

from kg.extract import KnownEntities, extract_text
from kg.extract.figfilter import short_forms
from kg.extract.figsubject import article_places
from kg.extract.known import KnownEntity
from kg.extract.score import Predicted, score

PARK = "青山经济开发区"
FIRST = "青山经济开发区今年新增入驻企业26家。"  # a sentence about the park, before the one under test


def _figs(raw: str) -> set[tuple[str, str, float, str]]:
    return figures_of(raw, twice=True)  # each organization named twice: see figures_of


def _values(raw: str, about: str = PARK) -> set[float]:
    return {f[2] for f in _figs(raw) if f[0] == about}


def test_a_figure_carried_from_an_unsettled_one_is_unsettled_too():
    # the park is where the project is; the clauses after the company's figure are the company's
    assert not _values("在青山经济开发区，总投资20亿元的青山明辉纸业有限公司升级项目正式开工，"
                       "建成后年营业收入将达36亿元，解决500余人就业。")
    assert _values("青山经济开发区今年实现产值612亿元，新增就业500人。") == {612, 500}


def test_a_clause_or_sentence_led_by_a_place_gives_the_place_figures():
    assert _values(FIRST + "当天，义乌共有15个重大项目集中开工，总投资达120.4亿元。") == {26}
    assert _values(FIRST + "浙江出台《园区管理办法》，扶持园区加快发展，并筛选161个项目，安排专项资金3.4亿元。") == {26}
    assert _values(FIRST + "数据显示，义乌各大园区内已注册市场主体14万余家，入驻企业约6.6万家。") == {26}
    for place in ("该州今年", "本省今年", "今年以来，本市", "今年以来，全州"):  # the province, city, prefecture…
        assert _values(FIRST + place + "新引进项目20个，总投资达50亿元。") == {26}
    # the places an article's organization names hold: two or three characters before 市/县/省/州, nothing shorter
    assert article_places(["台州温岭市东部产业集聚园区", "市北高新园区"]) == {"温岭", "州温岭"}
    # the park itself leading the sentence keeps its figures
    assert _values(FIRST + "园区共有15个重大项目集中开工，总投资达120.4亿元。") == {26, 15, 120.4}
    assert _values(FIRST + "园区内已注册市场主体14万余家，入驻企业约6.6万家。") >= {26, 66000}


def test_a_sentence_naming_no_organization_continues_the_parks_figures_only():
    # named in passing (在X, X、Y等园区): not what the next sentence speaks of
    assert not _values("活动在青山经济开发区举行。上半年新增订单达200个。")
    assert not _values("青山经济开发区、青山智造园等园区获评省级示范园区。上半年新增订单达200个。")
    # its subject, acting: the next sentence reporting a period goes on with it (上半年…, 目前…)
    assert _values("青山经济开发区今年在青山会展中心举办推介会。上半年新增订单达200个。") == {200}
    assert _values("今年以来，青山经济开发区持续优化营商环境。目前在建项目41个，总投资251亿元。") == {41, 251}
    # but an event's total or a projection of what is built is not settled by it
    assert not _values("青山经济开发区举行招商推介会。据悉，本次集中签约项目30个，总投资149亿元。")
    assert not _values("青山经济开发区新建水暖产业园。达产后，预计产值20亿元，带动就业2000人。")
    # a projection is no report, whatever time it opens with
    for lead in ("2026年全部达产后", "今年建成投产后", "项目建成后"):
        assert not _values(f"青山经济开发区新建水暖产业园。{lead}，预计年产值20亿元，带动就业2000人。")
    # a report opens with a period in many forms
    for lead in ("截至2024年底", "1-10月", "第一季度", "据统计，今年以来", "截至10月底", "近年来", "去年全年"):
        assert _values(f"今年以来，青山经济开发区持续优化营商环境。{lead}，新增市场主体2000户。") == {2000}, lead
    # the sentence before gave the park a figure: the paragraph of its figures goes on, and on
    assert _values(FIRST + "达产后，预计产值20亿元。新开工项目10个。") == {26, 20, 10}


def test_an_event_named_after_an_organization_has_the_figures_of_the_event():
    # 举办X投资推介会，现场签约…: the event's signing; 约 of 签约 is no approximation
    figs = _figs("青山市政府在广州举办青山经济开发区投资推介会，现场签约41家企业，总投资约43亿元。")
    assert not figs
    assert not _figs("青山市今年举行青山经济开发区项目签约仪式，现场签约项目12个。")
    # an event word inside a longer word names no event: 大会 of 大会战 (a campaign the park wages)
    assert _values("青山经济开发区项目建设大会战全面打响，今年新开工项目30个。") == {30}
    # the park holding the event is its subject: 举办 is what it does
    assert _values("青山经济开发区举办重点项目签约仪式，总投资108亿元。") == {108}
    assert {(f[1], f[2]) for f in _figs("青山经济开发区今年签约14个项目。")} == {("今年签约项目", 14)}
    # 约 ending a word jieba's dictionary knows (续约, 解约) is no approximation; 大约 and 约 alone are
    # (the metric after the number in a clause naming no subject — 解约3家企业 — is dropped: 1 right in 13 at first
    # sight; named in its own clause, 解约 is a figure with no 约)
    twice = "青山经济开发区召开推进会。"
    figs = {(f.metric, f.value, f.qualifier) for f in extract_text(
        twice + "青山经济开发区今年续约14家企业，解约3家企业，新增企业大约30家，总投资约43亿元。", "t").figures}
    assert figs == {("今年续约企业", 14, "exact"), ("新增企业", 30, "约"), ("总投资", 43, "约")}
    figs = {(f.metric, f.value, f.qualifier)
            for f in extract_text(twice + "青山经济开发区今年解约3家企业。", "t").figures}
    assert figs == {("今年解约企业", 3, "exact")}


def test_a_name_with_no_kind_word_and_an_unfound_body_give_no_figure():
    # a name with no kind word (often one cut wrongly: 福清市云 of 福清市云签约): whose figure is unsure
    known = KnownEntities([KnownEntity("org/qs", "青山市云", ("Organization",))])
    ex = extract_text("青山市云签约14个项目，总投资约361亿元。", "t", known=known)
    assert [e.type for e in ex.orgs] == ["Organization"] and not ex.figures
    # the generic class with a kind word (中心, 交易所) is a body like any other
    for raw, name in (("青山数字经济服务中心今年服务企业1200家。", "青山数字经济服务中心"),
                      ("青山大数据交易所今年交易额达12亿元。", "青山大数据交易所")):
        assert [e.type for e in extract_text(raw, "t").orgs] == ["Organization"] and _values(raw, name), raw
    assert _figs("青山科技企业孵化器今年新增入驻企业12家。") == {("青山科技企业孵化器", "今年新增入驻企业", 12, "家")}
    # a member count whose clause names its own body the organization pass missed is not the body named before
    raw = "青山机器人产业联盟今年吸纳成员单位12家。目前，汽车制造互助联盟已有70多家企业成员。"
    assert {f[2] for f in _figs(raw)} == {12}
    assert {f[2] for f in _figs("青山机器人产业联盟召开年会。目前，联盟已有70多家企业成员。")} == {70}
    # every kind of body with members the lexicon knows (研究会, 学会, 工商联…), not only 联盟/商会/协会
    for body in ("汽车零部件产业研究会", "汽车制造互助学会"):
        raw = f"青山机器人产业联盟今年吸纳成员单位12家。目前，{body}已有70多家会员单位。"
        figs = _figs(raw)  # the 70 is the body's when the organization pass finds it, never the alliance's
        assert {f[2] for f in figs if f[0] == "青山机器人产业联盟"} == {12}, (body, figs)
        assert {(f[0], f[2]) for f in figs} <= {("青山机器人产业联盟", 12), (body, 70)}, (body, figs)
        if body == "汽车零部件产业研究会":  # the shipped filter finds this one: its 70 is there
            assert (body, 70) in {(f[0], f[2]) for f in figs}, figs


def test_a_bare_yuanqu_after_another_park_is_not_the_home_parks():
    assert not _values("青山经济开发区举行招商推介会。活动现场，多家企业与青山智造园签订了意向入驻协议。"
                       "项目建设迈入全新阶段，园区全面建成后，拟引进企业150家。")
    assert _values(FIRST + "园区全面建成后，拟引进企业150家。") == {26, 150}
    for other in ("青山科技城", "青山港区"):  # every name a park may have is another park's
        assert not _values(f"青山经济开发区举行招商推介会。活动现场，多家企业与{other}签订了意向入驻协议。"
                           "项目建设迈入全新阶段，园区全面建成后，拟引进企业150家。")
    text = "青山经济合作区今年新增入驻企业26家。园区全面建成后，拟引进企业150家。"
    assert _values(text, "青山经济合作区") == {26, 150}
    # the home park named in full after the other one is the antecedent; an earlier bare 园区 is none
    assert _values("多家企业与青山智造园签约后，青山经济开发区召开推进会，园区今年新增企业30家。") == {30}
    assert not _values("多家企业与青山智造园签约后，园区加快建设，园区今年新增企业30家。")


def test_a_company_settling_in_the_park_keeps_its_figures_and_projects_settling_give_the_park_its_signing():
    assert not _values("青山明辉科技有限公司将落户青山经济开发区。公司负责人表示，预计落户园区后，年产值超5000余万元。")
    assert 47.36 in _values(FIRST + "16个招商项目正式签约落户青山经济开发区，合同总金额达47.36亿元。")


def test_an_investors_project_a_cluster_and_a_count_of_such_bodies_are_not_the_named_bodys():
    assert not _values("青山控股集团投资的青山产业孵化园项目投资额为12亿元。", "青山产业孵化园")
    assert _values("青山产业孵化园项目投资额为12亿元。", "青山产业孵化园") == {12}  # no investor: its own
    assert not _values("青山经济开发区工程装备产业集群，已形成完整产业链，集聚企业超1000家。")
    assert not _values("青山经济开发区智能制造产业集群，已形成完整产业链，集聚企业超1000家。")
    # what the park does to projects (a time word or a verb before 项目) is no thing it names: the park's figures
    assert _values("青山经济开发区今年共开工建设重大项目，完成投资80亿元。") == {80}
    assert _values("青山经济开发区集中签约项目，总投资达120亿元。") == {120}
    figs = _figs("截至目前，青山产业链联盟数量达到19家。青山产业链联盟成员单位数量达到19家。")
    assert figs == {("青山产业链联盟", "成员单位数量", 19, "家")}
    # a count that names what it counts (企业数量) is the park's, not a count of parks
    assert _values("截至目前，青山经济开发区企业数量达到190家。") == {190}


def test_a_headline_gives_no_figure_and_the_park_opening_a_sentence_is_its_subject():
    assert _values(FIRST + "\n累计孵化项目433个\n青山创业谷今年累计孵化项目433个。") == {26}
    # a short line with nothing after it ends the text, not a headline (nor one ending with a half-width stop)
    assert _values("青山经济开发区现有企业200家") == {200}
    assert _values(FIRST + "\n青山经济开发区现有企业200家") == {26, 200}
    assert _values("青山经济开发区现有企业200家.\n青山经济开发区今年新增入驻企业26家。") == {26, 200}
    # another organization named after the park that opens the sentence (a bracketed gloss) leaves it the subject
    assert _values("29日，青山经济开发区、青山临空区(青山新区经开组团)举行集中签约活动，现场签约项目共计134个，"
                   "总额超1100亿元。") == {134, 1100}
    # the last item of a list of parks is not the subject of the list's figure
    assert not _figs("2018年青山经济开发区、青山临空区园区总收入突破3000亿元。")


def test_the_scorer_compares_quantities_not_how_the_multiplier_is_written():
    gold = {"organizations": [{"name": PARK}],
            "indicators": [[PARK, "建筑面积", 21.5, "万平方米"], [PARK, "总投资", 1.5, "億元"],
                           [PARK, "厂房面积", 19000, "平方米"], [PARK, "占地面积", 70000, "平方米"],
                           [PARK, "研发投入", 0.1, "亿元"], [PARK, "亩均产出", 1, "千万元"],
                           [PARK, "出租率", 95, "％"]]}

    def tp(*indicators) -> int:
        return score(Predicted(orgs=[(PARK, [])], indicators=list(indicators)), gold)["indicator"].tp

    assert tp((PARK, "建筑面积", 215000, "平方米"), (PARK, "总投资", 15000, "万元"),
              (PARK, "厂房面积", 1.9, "万平方公尺")) == 3
    assert tp((PARK, "建筑面积", 21.5, "平方米"), (PARK, "总投资", 1.5, "万元")) == 0  # a different quantity
    assert tp((PARK, "占地面积", 7, "万方")) == 0  # 方 may be 立方米: never read as 平方米
    assert tp((PARK, "占地面积", 7, "万平方米")) == 1
    # every multiplier is read, however many: 1 千万元 = 0.1 亿元 = 10,000,000 元, 1 百万元 is not
    assert tp((PARK, "研发投入", 1, "千万元"), (PARK, "亩均产出", 0.1, "亿元")) == 2
    assert tp((PARK, "研发投入", 10, "百万元"), (PARK, "亩均产出", 1, "百万元")) == 1
    assert tp((PARK, "出租率", 95, "%")) == 1 and tp((PARK, "出租率", 95, "个百分点")) == 0


def test_a_gold_value_that_is_no_number_is_one_clear_error():
    gold = {"organizations": [{"name": PARK}], "indicators": [[PARK, "总投资", "约1.5", "亿元"]]}
    with pytest.raises(ValueError, match=r"^gold indicator 1 .*总投资.*'约1.5' is not a number$"):
        score(Predicted(orgs=[(PARK, [])], indicators=[]), gold)  # raised even with nothing to compare


def test_a_short_form_left_apart_from_the_full_name_is_no_settled_antecedent():
    # the graph knows 开发区商会 as a body of its own: a member count of a clause naming no body is not given to it
    known = KnownEntities([KnownEntity("chamber/kfq", "开发区商会", ("ChamberOfCommerce",))])
    raw = ("青山市经济技术开发区商会筹备组成立。青山市经济技术开发区商会成立大会召开，首批会员单位共51家。"
           "开发区商会召开第一次会员大会。会议选举产生理事单位18个。")  # the full name twice: a settled subject
    figs = {(f.about.name, f.value) for f in extract_text(raw, "t", known=known).figures}
    # the short form is no antecedent: the count goes to the body the article names most, the full name
    assert figs == {("青山市经济技术开发区商会", 51), ("青山市经济技术开发区商会", 18)}
    assert sorted(short_forms(["青山市经济技术开发区商会", "开发区商会", "商会联盟"])) == ["开发区商会"]


def test_the_venue_of_an_organizations_event_is_not_whose_figure_it_is():
    # the body named before 在 acts; its member count is its own, not the venue's
    assert _figs("青山市青山区商会成立大会在青山经济开发区召开，首批会员单位共51家。") == {
        ("青山市青山区商会", "首批会员单位", 51, "家")}
    assert _figs("青山汽车产业联盟在青山经济开发区成立，首批成员单位共51家。") == {
        ("青山汽车产业联盟", "首批成员单位", 51, "家")}
    assert not _values("青山明辉科技有限公司在青山经济开发区内建设研发中心，新增研发人员600名。")
    # no organization named before 在: a frame of place (在X，…), the park's figure
    assert _values("在青山经济开发区，今年实现工业产值500亿元。") == {500}
    assert _values("今年以来，在青山经济开发区，新增入驻企业30家。") == {30}
    # the park that holds it is
    assert _values("青山经济开发区举行成立大会，现场签约项目12个。") == {12}


def test_a_joiner_named_in_a_list_is_not_the_body_whose_members_are_counted():
    raw = ("青山机器人产业联盟今年吸纳成员单位12家。联盟秘书长表示，年底前将吸纳青山大学、青山市机器人行业协会等单位"
           "加入，成员单位有望突破50家。")
    assert {(f[0], f[2]) for f in _figs(raw)} == {("青山机器人产业联盟", 12), ("青山机器人产业联盟", 50)}


def test_a_carried_park_named_again_where_a_project_settles_gives_it_no_figure():
    raw = ("青山经济开发区今年新签约产业项目63个，主要进展有：青山芯感微电子有限公司晶圆产线项目落户园区，"
           "总投资56亿元，预计明年投产。")
    assert _values(raw) == {63}
    assert _values("青山经济开发区今年新签约产业项目63个，总投资318亿元。") == {63, 318}


def test_a_body_taking_members_in_is_not_the_joiner_named_last():
    # 吸纳A和B，届时…; B也有望完成入盟手续，…: the count is the body's that takes them in
    for tail, count in (("计划吸纳青山商会和青山市青年企业家协会，届时将覆盖会员企业1500余家。", 1500),
                        ("青山市汽车零部件行业协会也有望在明年完成入盟手续，预计成员单位将突破60家。", 60),
                        ("联盟还打算把青山市青年企业家协会以及一批企业吸纳进来，力争成员单位突破80家。", 80)):
        figs = {(f[0], f[2]) for f in _figs("青山汽车产业联盟今年新增成员单位12家。" + tail)}
        assert figs == {("青山汽车产业联盟", 12), ("青山汽车产业联盟", count)}


def test_a_joiner_is_one_only_where_its_clause_says_so_and_a_body_is_there_to_join():
    # 邀请 in an earlier clause, more than 30 characters before the body: no joiner (not the 商会's 80)
    raw = ("青山商会今年新增会员12家。青山市政府邀请多位专家围绕全市机器人产业发展方向和重点企业技术需求开展深入调研"
           "并对青山机器人产业联盟给予高度评价，目前成员单位已达80家。")
    assert ("青山机器人产业联盟", 80) in {(f[0], f[2]) for f in _figs(raw)}
    # the only body with members the text names: its count, however it is named (与/等/把…列为/申请)
    for lead in ("青山市科技局与青山机器人产业联盟联合举办对接会", "青山机器人产业联盟等单位联合举办对接会",
                 "今年，青山市政府把青山机器人产业联盟列为重点培育对象", "青山机器人产业联盟申请成为国家级联盟"):
        assert _values(lead + "，目前成员单位已达80家。", "青山机器人产业联盟") == {80}, lead
    # 把 makes a joiner only before 吸纳/纳入/吸收: 把X列为重点… is no joining
    raw = "青山汽车产业联盟今年新增成员单位12家。青山市政府把青山商会列为重点培育对象，目前成员单位已达80家。"
    assert ("青山商会", 80) in {(f[0], f[2]) for f in _figs(raw)}


def test_a_park_named_in_a_persons_title_is_not_the_subject_of_its_member_bodies_figures():
    raw = "青山物流园党委书记张志强告诉记者，成立半年多来，成员单位之间共享仓储面积12万平方米。"
    assert not _figs(raw)
    assert not _figs("青山物流园今年新增入驻企业12家。" + raw) - {("青山物流园", "今年新增入驻企业", 12, "家")}
    # the usual way a park's figures are reported: its official speaks of the park
    assert _values("青山经济开发区主任张三介绍，今年新增入驻企业30家。") == {30}
    assert _values("青山软件园总经理张三介绍，今年新增入驻企业30家，实现营收50亿元。", "青山软件园") == {30, 50}
    assert _values(FIRST + "青山经济开发区党工委副主任张三说，全区上半年新增入驻企业30家。") == {26, 30}
    assert _values("青山物流园今年新增入驻企业12家，党委书记张志强说。", "青山物流园") == {12}
