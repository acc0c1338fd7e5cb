"""Which generated figures to keep: a learned filter over general features of a figure, its metric and its subject.

:mod:`~kg.extract.figures` proposes every number with a unit that has a metric and a subject
(the rules' guesses included); :func:`features` describes one by its subject (type, how it was
chosen, distance to the number, organizations or places between), its metric (head word,
length, a place or organization inside), its unit class, qualifier, the cue words of its clause
(同比/增长 → a growth rate, 将/预计 → a target) and the rule that produced it. The weights
(``kg/extract/models/figures.json``, trained on real/dev by ``scripts/train_figures.py``) decide;
without them the rules' own choice stands (a figure whose subject is a guess is dropped, and — member counts
aside — one whose subject the article names fewer than ``MIN_NAMED`` times by a name of its own or whose metric
follows the number with no subject in its clause: :func:`choose_without_model`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from kg.extract.learn import Features, load_model
from kg.extract.lexicon import PLACE_NAMES, SUFFIXES
from kg.extract.positions import Spans

__all__ = ["BARE_PARK", "COLLAB", "LOCATED_WORDS", "PARK_NAME_END", "PLANNED", "Context", "body_named_after", "choose",
           "choose_without_model", "clause_end", "counts_members", "describes_next", "features", "has_measure_noun",
           "is_place_name", "is_place_word", "MIN_NAMED", "not_a_figure", "sensible_metric",
           "short_forms", "unsure_subject", "MODEL"]

MODEL = "figures"

_HEADS = ("总值", "产值", "增加值", "营收", "收入", "税收", "投资", "总投资", "面积", "数量", "规模", "金额",
          "总额", "占比", "比例", "率", "值", "额", "量", "数", "企业", "项目", "成员", "单位", "会员")
_PARK_AREA = r"(?<![园发技开聚业贸范税合验片全])区"  # a district, not …园区/开发区/自贸区/示范区…
_PLACE_END = re.compile(r"(?:省|市|县|镇|乡|村|街道|" + _PARK_AREA + r")$")
_PLACE_IN = re.compile(r"[\u4e00-\u9fff]{1,5}?(?:省|市|县|镇|乡|村|街道)(?![长委政场级内外])")
_PLACE_LEAD = re.compile(r"[\u4e00-\u9fff]{1,5}?(?:省|市|县|镇|乡|村|街道|" + _PARK_AREA + r")(?![长委政场级内外])")
_PLACE_NAME = re.compile(r"(?:省|市|县|縣|镇|鎮|乡|鄉|村|街道)$")
_GROWTH = re.compile(r"同比|环比|增长|提升|提高|增加|下降|减少|成长|较去年|比去年|增幅|增速")
PLANNED = re.compile(r"将|计划|预计|拟|目标|力争|有望|突破|争取|规划")
_TOTAL = re.compile(r"累计|共|总|合计|全部")
_PART = re.compile(r"其中|包括|包含|含")
_FIRST = re.compile(r"首批|首期|第一批|一期|新")
_TRANSFER = re.compile(r"签署|签订|提供|给予|授信|补贴|资助|奖励|注资|向")
COLLAB = frozenset({"PartyBuildingCommunity", "Alliance", "Association", "ChamberOfCommerce", "PartyOrganization"})
MIN_NAMED = 2  # times the article must name a figure's subject by a name of its own (figsubject.own_names)
_COUNTS = frozenset({"list", "members"})  # the rules that count a body's members (figures._count_of_list, _group)
_NAMED_BODY = frozenset({"sent_last", "prev", "main"})  # named last in the sentence, before it, or most
# a body's name the organization pass did not find (目前，汽车制造联盟已有70多家企业成员): the clause's own subject
# (a party organization's name ends another's — 园区党委 — and counts 党员, not member bodies)
_COLLAB_SUFFIXES = sorted((k for k, t in SUFFIXES.items() if t in COLLAB - {"PartyOrganization"}),
                          key=len, reverse=True)
_UNFOUND_BODY = re.compile(r"[\u4e00-\u9fff]{3,}?(?:" + "|".join(_COLLAB_SUFFIXES) + ")")
_MEMBER_METRIC = re.compile(r"成员|会员|理事单位|监事单位|会长单位|发起单位|共建单位")
# what a figure measures: things counted (企业, 项目, 成员…) or a quantity's noun (产值, 面积, 投资…)
_MEASURE_NOUN = re.compile(
    r"企业|公司|厂商|项目|成员|单位|会员|机构|园区|人员|员工|人才|团队|人数|人口|面积|用地|厂房|载体|空间|平台|实验室"
    r"|产值|产出|总值|增加值|收入|营收|营业额|税收|利润|投资|金额|总额|资本|规模|资金|融资|订单|贸易|出口|进口|产量|吞吐量"
    r"|纳税|就业|岗位|占地|专利|学生|师生|职工|从业|主体|院所|高校|院校|设备|产能|能力|强度|数量|总数|数|率|占比|比重|比例|量|额")


@dataclass(frozen=True)
class Context:
    """What the rules knew when they proposed a figure (key positions in sentence ``key``)."""

    key: str
    num: tuple[int, int]  # the number with its unit
    metric: str
    clause_start: int
    subject_type: str
    sources: tuple[str, ...]  # how the subject was proposed (rule_near, rule_carried, sent_last, prev, main, home…)
    subject_end: int | None  # where the subject's last mention before the number in this sentence ends
    others_between: int  # organizations named between the subject and the number
    metric_has_org: bool
    rule: str  # before | after | paired | members | list
    measure: str
    unit: str
    qualifier: str
    value: float
    period: bool
    guess: bool  # no rule names the subject: the park the article is about, by default
    rivals: tuple[str, ...] = ()  # how the other subjects considered for the same number were proposed
    subject_start: int | None = None  # where that mention starts
    why: str = ""  # why the rules' subject is a guess (kg.extract.figsubject), "" when the text settles it
    named: int = 0  # how often the article names the subject by a name of its own (figsubject.own_names)


# not a metric: a list, people at an event, a cut phrase, a verb that has happened (组建了20人: a team, not a
# figure of the body), a plant's capacity (年产 opening the metric or right before the number: 年产钢材50万吨,
# 投资的年产15万平方米 — a project's, not the organization's; 全年产量, 亩均年产出 are figures), a part (项目中)
_NOT_METRIC = re.compile(r"[\d、()（）等]|代表|嘉宾|参会|出席|^(?:等|来自|其中|包括|和|及|与|的|年产(?![值能]))"
                         r"|(?:的|和|及|与|等|之|在|了|中|年产)$")
_THERE_IS = re.compile(r"(?:则|另|还|也|又)有")  # 则有Y投资…, 另有Y…: the subject comes after 有
# an organization (…企业联合党委6家: a list's count) or another body's (…联席会的成员单位)
_ORG_END = re.compile(r"(?:党委|党支部|党总支|公司|联盟|商会|协会|集团|委员会|管委会)$"
                      r"|(?:会|盟|委|司|团|体|园|区|中心|局)的")
_COUNTED = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:单位|成员|企业|机构|会员|党组织|高校|院校|园区|高新区)")  # 34家成员单位
# one vocabulary of joining: what a joiner does, what a body does to one, what founders do
_JOIN, _TAKE_IN, _FOUND = "加入|入盟|入会", "吸纳|吸收|接纳|纳入", "成立|组成|发起|结成|共建"
_JOINS = re.compile("|".join((_FOUND, _JOIN, "参加|成为|纳入")))  # N家单位(…)X联盟: the members of X
_TAKEN_IN = re.compile(_TAKE_IN)  # 把X吸纳进来
_JOINED = re.compile(_TAKE_IN + "|邀请")  # a joiner named after it
_JOINS_IN = re.compile(_JOIN + "|申请")  # a joiner named before it
LOCATED_WORDS = r"位于|选址于?|坐落于?"  # the verbs that say where something lies
_LOCATED = re.compile(r"(?:" + LOCATED_WORDS + r")$")
# what a bare 园区 can refer to: a name that ends as a park's (not a district's 新区, a town, a company)
PARK_NAME_END = re.compile(r"(?:园|园区|开发区|经开区|高新区|集聚区|工业区|示范区|城|自贸区|保税区|港区|合作区|基地)$")
BARE_PARK = frozenset({"园区", "该园区", "本园区", "园区内"})  # a park named by no name of its own
_NAMING_UNITS = frozenset({"人", "人次", "万人次", "件", "套", "次"})  # units that say what is counted
_PHRASE_ENDS = frozenset(",，;；。、)）")
# not a figure at all: a duration (5个月), percentage points (3个百分点), a rank (列22位, 第3名)
_NOT_FIGURE_AFTER = re.compile(r"月|百分点|小时|工作日")
_RANK_BEFORE = re.compile(r"(?:列|第|排|居|位居|位列|排名|排在)$")


def sensible_metric(metric: str, unit: str, after: str) -> bool:
    """A metric a reader would accept: a short phrase, no number or list in it, not cut mid-phrase, no place or
    organization (…企业联合党委6家), naming what is measured (产值, 企业, 面积…) unless the unit does (体检3,530人,
    办理工单409件) and the figure ends its phrase (``after``, the character after it: 活动近200人参与 is none)."""
    if not 2 <= len(metric) <= 16 or _NOT_METRIC.search(metric) or is_place_word(metric) or _ORG_END.search(metric):
        return False
    if (there := _THERE_IS.match(metric)) and not has_measure_noun(metric[there.end() : there.end() + 2]):
        return False  # X则有Y公司投资1.5亿元: Y, named in the metric, is whose figure it is
    return has_measure_noun(metric) or unit in _NAMING_UNITS and (after or "。") in _PHRASE_ENDS


def not_a_figure(key: str, start: int, end: int, unit: str) -> bool:
    """The number with its unit at ``key[start:end]`` is a duration (试运行5个月), percentage points (3个百分点)
    or a rank (分别列22位, 第3名), not a figure."""
    return (unit == "个" and _NOT_FIGURE_AFTER.match(key, end) is not None
            or unit in ("位", "名") and _RANK_BEFORE.search(key, max(0, start - 4), start) is not None)


def counts_members(key: str, start: int, end: int) -> bool:
    """``key[start:end]`` speaks of a body's members (成员单位, 会员, 理事单位…)."""
    return _MEMBER_METRIC.search(key, start, end) is not None


def body_named_after(key: str, end: int, ms: Spans):
    """The body with members named right after “N家(成员)单位/企业…” ending at ``end`` with a verb of joining or
    founding between (共34家成员单位正式成立X联盟, 32家企事业单位参加本联盟): the body the count is of."""
    nm = _COUNTED.match(key, end)
    x = nm and next((x for x in ms.forward(nm.end(), nm.end() + 20) if x.ent.type in COLLAB), None)
    if not x:
        return None
    gap = key[nm.end() : x.i]
    return x.ent if _JOINS.search(gap) and not re.search(r"[。；;，,:：\d]", gap) else None


def short_forms(keys) -> frozenset[str]:
    """The name keys among ``keys`` that end another, longer one (开发区商会 of 合肥市蜀山区经济技术开发区商会): a short
    form the organization pass left apart from the full name, so which body it means is not settled (time: the sum
    of the names' squared lengths — names are short).

    >>> sorted(short_forms(["合肥市蜀山区经济技术开发区商会", "开发区商会", "青山联盟"]))
    ['开发区商会']
    """
    keys = set(keys)
    tails = {k[i:] for k in keys for i in range(1, len(k))}
    return frozenset(keys & tails)


def describes_next(key: str, end: int) -> bool:
    """The figure ending at ``end`` is in a phrase “…的X” that describes what its clause names after it
    (年度投资逾350亿元的X公司, 投资26.6亿元扩建新厂的X公司): X's figure, not that of a subject named before."""
    return key.startswith("的", end) or key.find("的", end, clause_end(key, end) - 2) >= 0


def clause_end(key: str, end: int, width: int = 60) -> int:
    """Where the clause going on at ``end`` ends: its next mark (,，;；。), looked for in the ``width`` characters
    after ``end`` (linear time), else ``end + width``."""
    return min((k for k in (key.find(c, end, end + width) for c in ",，;；。") if k >= 0), default=end + width)


def unsure_subject(key: str, i: int, j: int, name: str, at: int) -> bool:
    """The organization named at ``key[i:j]`` (``name`` its name key) is no sure subject of the figure at ``at``:
    a place where a project lies (X项目位于园区，总投资3.5亿元), the last item of a list the figure counts
    (与A、B、C3家骨干企业合作), or a bare 园区 read as an organization that is no park (…杭州湾新区)."""
    return (_LOCATED.search(key, max(0, i - 4), i) is not None
            or i > 0 and key[i - 1] in "、和及" and at - j <= 2
            or key[i:j] in BARE_PARK and not PARK_NAME_END.search(name))


def has_measure_noun(text: str) -> bool:
    """``text`` names what is measured (企业, 产值, 面积, 数量…), not only a verb (再迎, 集中签, 另有)."""
    return _MEASURE_NOUN.search(text) is not None


def is_place_word(text: str) -> bool:
    """``text`` ends as a place does (…镇, …县, …街道, a 区 that is not a park's) or is a known place name, or
    it opens with a place (青山镇有…企业: a figure of the town)."""
    return (bool(_PLACE_END.search(text)) or text in PLACE_NAMES or _PLACE_LEAD.match(text) is not None
            or text[:2] in PLACE_NAMES or text[:3] in PLACE_NAMES)


def is_place_name(name: str) -> bool:
    """An organization's name that names a place (青山街道, 青山镇): its figures are the place's."""
    return _PLACE_NAME.search(name) is not None


def _bucket(n: float, edges: tuple[float, ...]) -> str:
    """The bin of ``n`` as a feature name (``≤e`` / ``>last``; see orgbounds.bucket for why three helpers)."""
    return next((f"≤{e:g}" for e in edges if n <= e), f">{edges[-1]:g}")


def _metric_features(c: Context) -> dict[str, float]:
    m = c.metric
    f = {"mlen=" + _bucket(len(m), (2, 4, 6, 9, 14)): 1.0}
    if not m.endswith(_HEADS):
        f["no_head"] = 1.0
    if _PLACE_IN.search(m) or any(p in m for p in _places_in(m)):
        f["metric_place"] = 1.0
    if is_place_word(m):
        f["metric_is_place"] = 1.0
    if c.metric_has_org:
        f["metric_org"] = 1.0
    if not has_measure_noun(m):
        f["metric_no_noun"] = 1.0
    if re.search(r"[a-zA-Z]", m):
        f["metric_latin"] = 1.0
    return f


def _places_in(text: str) -> list[str]:
    """Known place names written in ``text`` (two to three characters long)."""
    return [text[i : i + n] for n in (2, 3) for i in range(len(text) - n + 1) if text[i : i + n] in PLACE_NAMES]


def _cue_features(c: Context) -> dict[str, float]:
    key, (i, j) = c.key, c.num
    before = key[c.clause_start : i]
    f: dict[str, float] = {}
    for name, rx in (("growth", _GROWTH), ("planned", PLANNED), ("total", _TOTAL), ("part", _PART),
                     ("first", _FIRST), ("transfer", _TRANSFER)):
        if rx.search(before):
            f["cue_" + name] = 1.0
    if i > 0 and key[i - 1] == "第":
        f["ordinal"] = 1.0
    after = key[j : j + 2]
    if after[:1] in ("，", ",", "。", "；", ";", "、", ""):
        f["after=mark"] = 1.0
    elif after[:1] == "的":
        f["after=的"] = 1.0
    else:
        f["after=word"] = 1.0
    if re.match(r"\d", key[j : j + 1]) or (i > 0 and key[i - 1] in ":：/-—"):
        f["ratio_or_code"] = 1.0
    return f


def features(c: Context) -> Features:
    """The named features of one proposed figure (see the module docstring)."""
    f: dict[str, float] = {"rule=" + c.rule: 1.0, "nsrc": len(c.sources) / 3}
    for src in c.sources:
        f["src=" + src] = 1.0
    for src in c.rivals:
        f["rival=" + src] = 1.0
    if c.subject_end is None:
        f["dist=none"] = 1.0
    else:
        f["dist=" + _bucket(c.num[0] - c.subject_end, (0, 3, 8, 16, 30))] = 1.0
        if c.subject_end > c.clause_start:
            f["subj_in_clause"] = 1.0
        gap = c.key[max(c.subject_end, 0) : c.num[0]]
        if _PLACE_IN.search(gap) or _places_in(gap):
            f["place_between"] = 1.0
    if c.why:
        f["why=" + c.why] = 1.0  # why the rules' subject is a guess (kg.extract.figsubject)
    for name, on in (("others_between", c.others_between), ("guess", c.guess), ("period", c.period),
                     ("approx", c.qualifier in ("余", "近", "超", "约", "以上")), ("percent", c.unit == "%")):
        if on:
            f[name] = 1.0
    f.update(_metric_features(c))
    f.update(_cue_features(c))
    return f


@cache
def _model():
    """The trained filter, looked up once (None: none ships)."""
    return load_model(MODEL)


def choose_without_model(group: list[Context], min_named: int = MIN_NAMED) -> int | None:
    """The rules' choice (:func:`_rules_choice`), when the article names that subject at least ``min_named`` times by
    a name of its own (a name written once — glued to a headline's words, cut short, named in passing — is unsure
    whoever the rules say the figure is about) and a metric after the number has its subject named in its clause.
    Both are evidence tiers measured where no rule had read the text: each dev batch scored by the code before it
    joined (subjects named once right 14 times in 47, twice or more 75 in 124; :func:`_after_unnamed` 1 in 13).
    A member count (rules ``list`` and ``members``: A、B等13个…为成员单位, 联盟共有成员单位80家, 联盟新吸纳12家企业
    为成员单位) needs neither: such counts were right 11 times in 14 at first sight, their subject named once or not.
    ``min_named`` other than ``MIN_NAMED`` is for measuring what the requirement costs (scripts/train_figures.py)."""
    k = _rules_choice(group)
    if k is None or group[k].rule in _COUNTS:
        return k  # a member count: the list, or the body's own word for its members, settles whose
    return k if group[k].named >= min_named and not _after_unnamed(group[k]) else None


def _after_unnamed(c: Context) -> bool:
    """The metric follows the number (新建2栋厂房, 引进100位人才) and the clause names no subject (it was carried,
    the park by default…): a project's or a plan's, most often (1 right in 13 on the dev batches at first sight)."""
    return c.rule == "after" and c.sources[0] != "rule_near"


def _rules_choice(group: list[Context]) -> int | None:
    """The rules' own subject unless it is a guess; when the clause names no subject and the
    metric counts members (首批会员单位共51家, 理事单位18个), the body with members named last (in the sentence or
    before it) or the one the article names most, but not an item of a list — unless the clause names a body the
    organization pass did not find (目前，汽车制造联盟已有70多家企业成员: that body's count, not the one before)."""
    if not group:
        return None
    first = group[0]
    if first.sources[0].startswith(("rule_", "list")) and not first.guess:
        return 0
    venue = first.why == "venue"  # X成立大会在园区召开，首批会员单位共51家: X's, the sentence's subject
    no_subject = venue or first.sources[0] == "rule_default" or not first.sources[0].startswith("rule_")
    if not no_subject or first.unit not in ("家", "个", "所", "名", "位") or not _MEMBER_METRIC.search(first.metric):
        return None
    if _UNFOUND_BODY.search(first.key, first.clause_start, first.num[0]):
        return None
    named = {"subject"} if venue else _NAMED_BODY
    bodies = [k for k, c in enumerate(group) if c.subject_type in COLLAB]  # a joiner needs a body to join
    return next((k for k in bodies if named & set(group[k].sources) and (len(bodies) == 1 or not _list_item(group[k]))),
                None)


def _list_item(c: Context) -> bool:
    """The subject is named as an item of a list or as a joiner in the sentence (吸纳A、B协会等单位加入，成员总数…;
    计划吸纳A和B，届时…; B也有望完成入盟手续，…): not the body whose members are counted."""
    if c.subject_end is None or c.subject_start is None:
        return False
    i, j, key = c.subject_start, c.subject_end, c.key
    if key[j : j + 1] in ("、", "等", "和", "及") or i > 0 and key[i - 1] in "、和及与":
        return True
    start = max(i - 30, max(key.rfind(m, max(0, i - 30), i) for m in ",，;；。") + 1, 0)
    end = clause_end(key, j, 30)
    return bool(_JOINED.search(key, start, i) or _JOINS_IN.search(key, j, end)
                or key.rfind("把", start, i) >= 0 and _TAKEN_IN.search(key, j, end))


def choose(group: list[Context]) -> int | None:
    """Which of one figure's subjects (``group``: the rules' first) to keep: the rules' own, when it is not a
    guess, its subject is named ``MIN_NAMED`` times (:func:`choose_without_model`) and the learned filter accepts
    it (when no model is trained, the rules alone); None for none.
    (Letting the filter pick among the other subjects too was measured: precision fell to about 0.5.)"""
    k = choose_without_model(group)
    model = _model()
    return k if k is None or model is None or model.accepts(features(group[k])) else None
