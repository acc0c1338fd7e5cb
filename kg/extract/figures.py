"""Figures: a number with its unit and qualifier, the metric it measures, and what it is about.

“上半年各类业务办理量达1万余件” → metric 各类业务办理量, value 10000, unit 件, qualifier 余,
period 上半年, about the park; “等13个基层党组织为成员单位” → a member count of the
organization that takes them in; “响应率、解决率、满意率分别为100%、99.39%、96.36%” → three
rates, paired in order.

A figure whose subject the text does not settle is not emitted: a place's (青山镇140余家…, 全市…), a transfer
(为园区企业提供50亿元授信), the park named before another organization, where a company settles, as a venue or in a
title, an event's, a joiner's, a sentence naming none that follows no figure of the park (kg.extract.figsubject,
docs/explanation/extraction-rounds.md); nor, member counts aside, one whose subject the article names fewer than
twice by a name of its own, or whose metric follows the number with no subject named in its clause
(figfilter.choose_without_model). Each number also proposes the other likely subjects (figfilter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from kg.extract.document import MAX_EVIDENCE, Document, Sentence
from kg.extract.figfilter import (
    COLLAB,
    Context,
    body_named_after,
    choose,
    has_measure_noun,
    not_a_figure,
    sensible_metric,
)
from kg.extract.figsubject import (
    PERIODS,
    TRANSFER,
    WINDOW,
    Scene,
    Topic,
    about_home,
    is_headline,
    others,
    place_leads,
    sentence_subject,
    unsettles_next,
    why_guess,
)
from kg.extract.orgs import Ent, Found
from kg.extract.positions import Marks, Spans
from kg.extract.segment import word_freq

__all__ = ["Figure", "find_figures"]

_UNITS = ("亿美元|万美元|美元|亿元|万元|元|万人次|人次|平方米|平方公尺|平方公里|公顷|亩|吨"
          "|家|个|件|次|人|套|项|台|名|位|户|所|座|栋|天|%|％")
_NUMBER = re.compile(
    r"(?P<pre>大约|约|近|超过|超|逾|达到|达|共|累计)?"  # 签约14个: see _numbers
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<mult>万(?!元|人次|美元)|亿(?!元|美元))?"  # 100万平方米 is 1000000 平方米, as annotators write it
    r"(?P<post>余|多)?(?P<unit>" + _UNITS + r")(?P<tail>以上|左右)?"
)
_PERIOD = re.compile(r"^(?:" + PERIODS + ")")
_METRIC_STRIP = re.compile(r"(?:新台币|人民币|港币|达到|达|约|近|超过|超|逾|共|累计|为|分别为|实现|完成)+$")
_RESPECTIVELY = re.compile(r"([^,，:：;；]+?)分别为")
_NOUN_AFTER = re.compile(r"[\u4e00-\u9fff]{2,8}?(?=[,，;；。、]|$|以上)")
_AS_MEMBERS = re.compile(r"[\u4e00-\u9fff]{0,6}为(?:成员单位|会员单位)")
_WORD_FREQ = 10  # a word of jieba's dictionary at least this frequent
_AMOUNT_UNITS = {"亿元", "万元", "元", "亿美元", "万美元", "美元"}
_HAS_MEMBERS = re.compile(r"(?:目前|现)?(?:共有|已有|拥有|已吸纳|吸纳了?|现有)(?:成员单位|成员|会员单位|会员)?")
_GROWTH_ONLY = re.compile(r"(?:同比|环比|较去年同期|较去年|比去年|较上年|较前年|年)?"
                          r"(?:增长|提升|提高|增加|成长|增|下降|减少)")
_FROM = re.compile(r"(?:增|增加|增长|提升|提高|扩大|上升|降|下降|减少)(?:至|到)")  # 由67家增至86家: 67 was
_ZAI_WORDS = frozenset("孵册建校职岗谈研营")  # 在孵, 在册, 在建…: 在 is part of the metric
_ROLE_AFTER = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:任|担任|当选|作为)")  # A等5家企业任理事单位: a role's count
_BREAKS = re.compile(r"(?:首次|再次|有望|可望|将|已)?(?:突破|超过|达到|增至|迈上)$")  # 产值首次突破500亿元
_VERB_ENDINGS = ("落地", "引进", "开展", "新增", "培育", "签约", "落户", "入驻", "等", "指导", "园区")


@dataclass
class Figure:
    """One figure and the key span of its evidence in sentence ``sent``."""

    about: Ent
    metric: str
    measure: str
    value: float | int
    unit: str
    qualifier: str
    period: str | None
    sent: int
    i: int
    j: int
    context: Context | None = field(default=None, repr=False, compare=False)  # what the filter judges


def _numbers(key: str):
    """The numbers with a unit in ``key``; a 约 that ends a word of jieba's dictionary (签约14个, 续约, 履约) is no
    approximation but the end of the metric (its rarest entries, 共约 and the like, are chance pairs)."""
    for m in _NUMBER.finditer(key):
        if m.group("pre") == "约" and m.start() > 0 and (word_freq(key[m.start() - 1] + "约") or 0) >= _WORD_FREQ:
            m = _NUMBER.match(key, m.start("num"))
        yield m


def _qualifier(m: re.Match) -> str:
    if m.group("post"):
        return "余"
    if m.group("tail") == "以上":
        return "以上"
    pre = m.group("pre") or ""
    approx = {"约": "约", "大约": "约", "近": "近", "超": "超", "超过": "超", "逾": "超", "达": "达", "达到": "达"}
    return approx.get(pre, "exact")


def _value(m: re.Match) -> float | int:
    v = float(m.group("num").replace(",", ""))
    if m.group("mult") == "万" and m.group("unit") not in _AMOUNT_UNITS | {"万人次"}:
        v *= 10000
    elif m.group("mult") == "亿" and m.group("unit") not in _AMOUNT_UNITS:
        v *= 100000000
    return int(v) if v.is_integer() else v


def find_figures(doc: Document, found: Found, statements=(), *, proposed: bool = False) -> list[Figure]:
    """Every figure in ``doc`` that has a sensible metric (text before the number, or a noun right after it),
    about the organization the filter (:mod:`~kg.extract.figfilter`) finds likeliest, if it accepts one;
    ``proposed``: every figure with every subject considered, before the filter. ``statements`` are the article's
    memberships: “A、B等30余家单位(组成/加入…)” counts the members of the body the list joins, not something about B.
    """
    bodies = {(st.sent, id(st.subject)): st.object for st in statements if st.is_membership and st.object is not None}
    out: dict[tuple, Figure] = {}
    topic = Topic(found, doc)
    for s in doc.sentences:
        counted: set[int] = set()  # bodies whose member count the sentence gave: a later count is of a group of them
        spans = Spans(found.mentions(s.index))
        groups = _sentence_figures(doc, s, found, topic) if any(c.isdigit() for c in s.key) else []
        topic.home_figure = any(g[0].about is found.home and not g[0].context.guess for g in groups)
        for group in groups:
            f = group[0]
            if _count_of_list(f, bodies, spans):
                group = [f]
            if f.measure == "memberCount" and id(f.about) in counted:
                continue  # 共有45家成员单位，包括…C、D等4个街道
            counted |= {id(f.about)} if f.measure == "memberCount" else set()
            if not sensible_metric(f.metric, f.unit, f.context.key[f.context.num[1] : f.context.num[1] + 1]):
                continue
            k = choose([g.context for g in group])
            for g in group if proposed else [group[k]] if k is not None else []:
                out.setdefault((id(g.about), g.metric, g.value, g.unit, g.period), g)  # a repeated figure once
        topic.read(s)
    return list(out.values())


_GROUP_SUBJECT = re.compile(r"(?:全省|全市|全国|全区)?(?:\d+|[一二三四五六七八九十两几多数]+|各|这些|其他|其余)"
                            r"[家个所]?(?:省级及以上|省级|国家级)?(?:园区|企业|开发区|高新区|单位|成员单位)")
_GENERIC = re.compile(r"(?:各|这些|其他|其余|所有|多家|各家|每个|每家)$")  # 各孵化器: many bodies, none named


def _count_of_list(f: Figure, bodies: dict, ms: Spans) -> bool:
    """“…、B等(国内)30余家…” or “…、B等N家单位为成员单位” after a list whose items join a body Y: the figure
    is Y's member count (not B's); so is “Y共有/已吸纳/拥有N家” of a body with members, and “N家单位参加/成立Y”
    (rule ``list``: emitted however often the article names Y, :func:`~kg.extract.figfilter.choose_without_model`)."""
    if f.unit not in ("家", "个", "所", "名") or _ROLE_AFTER.match(f.context.key, f.context.num[1]):
        return False
    body = bodies.get((f.sent, id(f.about)))
    if body is not None and (f.metric.startswith("等") or f.measure == "memberCount" and f.about.type not in COLLAB):
        f.about, f.metric, f.measure = body, "成员单位数量", "memberCount"
    elif f.about.type in COLLAB and _HAS_MEMBERS.fullmatch(f.metric):
        f.metric, f.measure = "成员单位数量", "memberCount"
    elif (after := body_named_after(f.context.key, f.context.num[1], ms)) is not None:
        f.about, f.metric, f.measure = after, "成员单位数量", "memberCount"
    else:
        return False
    f.context = replace(f.context, metric=f.metric, measure=f.measure, subject_type=f.about.type, rule="list",
                        sources=("list",), subject_end=None, others_between=0, guess=False)
    return True


def _period(doc: Document, s: Sentence, clause_start: int, at: int) -> tuple[int, str | None]:
    """The period opening a clause (上半年, 1-6月…) before ``at``, and where the clause goes on after it."""
    pm = _PERIOD.match(s.key, clause_start, at)
    return (pm.end(), doc.name(*s.span(clause_start, pm.end()))) if pm else (clause_start, None)


def _subject(found: Found, s: Sentence, orgs: Spans, home: Spans, clause_start: int, at: int, carried):
    """The mention the figure at ``at`` is about and how it was chosen: the last organization named before it
    in its clause (near), the subject of the clause before (carried), the park named earlier (home); None
    when the clause opens with a group (全省28家园区…, 各园区…: a figure of many bodies)."""
    near = next((x for x in orgs.backward(clause_start, at) if x.j <= at), None)
    if near is not None and _GENERIC.search(s.key, max(0, near.i - 2), near.i):
        return None, "group"  # 各孵化器共拥有35个平台: a figure of many bodies, none named
    if near is not None:
        return near, "near"
    if _GROUP_SUBJECT.match(s.key, clause_start):
        return None, "group"
    if carried is not None:
        return carried, "carried"
    back = next((x for x in home.backward(0, at) if x.j <= at), None)
    return (back, "home") if back is not None else (None, "default")


def _span(key: str, m: re.Match, a: int, paired: dict, ms: list, about_m):
    """The metric's key span ``[a, b)``, the end of the evidence, the rule that found it and the subject
    (a body with members for “…为成员单位”)."""
    strip = _ending(key, a, m.start())
    b = strip.start() if strip else max(a, m.start())
    while a < b and (key[a] in "的对" or key[a] == "在" and key[a + 1 : a + 2] not in _ZAI_WORDS):
        a += 1  # 在园区…, not 在孵企业
    after = _NOUN_AFTER.match(key, m.end())
    if m.start() in paired:
        a, b = paired[m.start()]
        return a, b, m.end(), "paired", about_m
    if _AS_MEMBERS.match(key, m.end()):
        about_m = next((x for x in ms if x.i < m.start() and x.ent.type in COLLAB), about_m)
        return m.start(), m.start(), key.find("单位", m.end()) + 2, "members", about_m
    verb_only = not has_measure_noun(key[a:b]) and has_measure_noun(after.group()) if after else False
    if after and (b - a < 2 or key.endswith(_VERB_ENDINGS, a, b) or verb_only and not key.endswith("了", a, b)):
        a, b = (a, after.end()) if b - a < 6 else (m.end(), after.end())
        return a, b, b, "after", about_m
    return a, b, m.end(), "before", about_m


def _sentence_figures(doc: Document, s: Sentence, found: Found, topic: Topic) -> list[list[Figure]]:
    """Per number with a unit: the rules' figure, then the same figure about each other likely subject."""
    key = s.key
    ms = found.mentions(s.index)
    orgs = Spans([x for x in ms if x.ent.is_org])
    home = Spans([x for x in ms if x.ent is found.home])  # the park's mentions, for the last one before a figure
    before, first_before = topic.before(doc, s)
    home_topic = topic.home_goes_on(s, before)  # a property of the sentence, not of each figure
    marks = Marks(key, ",，;；:：、")
    lead = marks.first_at(0)
    opens = lead + 1 if 0 <= lead <= 6 else 0  # 当天，温岭共有…: the sentence's subject after a short lead
    places = topic.places
    scene = Scene(key, orgs, found.home, first_before,
                  place_leads(key, 0, orgs, places) or opens > 0 and place_leads(key, opens, orgs, places), places,
                  is_headline(key, s.index == len(doc.sentences) - 1), sentence_subject(key, orgs))
    out: list[list[Figure]] = []
    matches = list(_numbers(key))
    paired = _paired(key, matches)
    carried, carried_guess, last_metric = None, False, ""
    for m in matches:
        unit = "%" if m.group("unit") in ("%", "％") else m.group("unit")
        if not_a_figure(key, m.start(), m.end(), m.group("unit")):
            continue
        clause_start, period = _period(doc, s, marks.last_before(m.start()) + 1, m.start())
        about_m, how = _subject(found, s, orgs, home, clause_start, m.start(), carried)
        if how == "group":
            carried = None
            continue
        a = about_m.j if about_m and about_m.i >= clause_start else clause_start
        a, b, end, rule, about_m = _span(key, m, a, paired, ms, about_m)
        if rule != "members" and b - a - (m.end() - m.start()) > 30:
            continue  # a metric of more than 30 characters (what _metric_text would cut) is none
        metric = "成员单位数" if rule == "members" else _metric_text(key, a, b, m)
        if not metric or not 2 <= len(metric) <= 30 or _FROM.match(key, m.end()):
            continue
        if _GROWTH_ONLY.fullmatch(metric) and last_metric:
            metric = last_metric + metric  # 实现产值612亿元，同比增长8.3%: the growth of 产值
        elif _GROWTH_ONLY.fullmatch(metric):
            continue  # the growth of something the sentence gives no figure of
        last_metric = _BREAKS.sub("", metric) if unit != "%" else last_metric
        measure = "memberCount" if rule == "members" else _measure(key, unit, clause_start, m.start())
        # A、B等17家单位为成员单位，成员总数达到63家: the next figure is not B's; nor is the one after a transfer
        carried = None if (metric.startswith("等") or rule == "members" and about_m and about_m.ent.type not in COLLAB
                           or TRANSFER.search(key, max(clause_start, m.start() - WINDOW), m.start())) else about_m
        about = about_m.ent if about_m else found.home
        why = "no_subject" if about_m is None and measure != "memberCount" and not (
            about_home(key, clause_start) or home_topic) else why_guess(
            scene, about_m, how, rule, clause_start, m.span(), (a, metric), carried_guess)
        carried_guess = bool(why) and carried is not None and unsettles_next(scene, why, m.end())
        q_start = min(x for x in (a, m.start(), about_m.i if about_m and about_m.i >= clause_start else a)
                      if x is not None)
        if max(end, m.end()) - q_start > MAX_EVIDENCE:
            q_start = min(a, m.start())  # the subject named too far before: the quote is the metric and the figure
        base = Context(key, m.span(), metric, clause_start, "", (), None, 0, False, rule, measure, unit,
                       _qualifier(m), float(_value(m)), period is not None, bool(why), why=why)
        f = Figure(about, metric, measure, _value(m), unit, base.qualifier, period, s.index, q_start, max(end, m.end()))
        group = _group(f, base, found, topic, scene, about_m, how, (a, b))
        if group:
            out.append(group)
    return out


def _group(f: Figure, base: Context, found: Found, topic: Topic, scene: Scene, about_m, how: str,
           metric_span: tuple[int, int]) -> list[Figure]:
    """Figure ``f`` about each subject considered (the rules' first), each with the context the filter judges."""
    at, (a, b), orgs = base.num[0], metric_span, scene.orgs
    subjects = _subjects(found, topic, scene, at, about_m, how if about_m else "default")
    group = []
    for ent, mention, sources in subjects[:1] if base.rule == "members" else subjects:
        g = f if ent is f.about else replace(f, about=ent, i=min(a, at))
        g.context = replace(base, subject_type=ent.type, sources=sources, guess=base.guess and ent is f.about,
                            named=topic.named.get(id(ent), 0),
                            subject_end=mention.j if mention else None, subject_start=mention.i if mention else None,
                            others_between=others(orgs, mention.j if mention else base.clause_start, at, ent),
                            metric_has_org=any(x.i < b and a < x.j for x in orgs.forward(a - 30, b)))
        group.append(g)
    for g in group:
        rivals = {r for h in group if h is not g for r in h.context.sources}
        g.context = replace(g.context, rivals=tuple(sorted(rivals)))
    return group


def _subjects(found: Found, topic: Topic, scene: Scene, at: int, about_m, how: str) -> list[tuple]:
    """(organization, its last mention before ``at`` in the sentence or None, the ways it was proposed):
    the rules' subject first (or the home park), then the organization named last before the number in
    the sentence, the first one the sentence names, the sentence's subject, the last one named before the
    sentence, the one the article names most and the home park."""
    orgs = scene.orgs
    last = next((x for x in orgs.backward(0, at) if x.j <= at), None)
    first = orgs.items[0] if orgs.items and orgs.items[0].j <= at else None
    before = [x for x in (about_m, last, first) if x is not None]
    picks = [(about_m.ent if about_m else found.home, "rule_" + how)]
    if last is not None:
        picks += [(last.ent, "sent_last"), (first.ent, "sent_first"), (scene.subject, "subject")]
    picks += [(topic.last, "prev"), (topic.main, "main"), (found.home, "home")]
    out: dict[int, tuple] = {}
    for ent, how_ in picks:
        if ent is None:
            continue
        if id(ent) not in out:
            mention = next((x for x in before if x.ent is ent), None)
            out[id(ent)] = (ent, mention, [])
        out[id(ent)][2].append(how_)
    return [(e, mn, tuple(srcs)) for e, mn, srcs in out.values()]


def _measure(key: str, unit: str, clause_start: int, at: int) -> str:
    if unit == "%":
        return "share" if key.find("完成", max(clause_start, at - WINDOW), at) >= 0 else "rate"
    return "amount" if unit in _AMOUNT_UNITS else "count"


def _paired(key: str, matches: list[re.Match]) -> dict[int, tuple[int, int]]:
    """“A、B、C分别为x、y、z”: the metric span of each number, paired in order (empty when they do not pair)."""
    resp = _respectively(key)
    if not resp:
        return {}
    spans, pos = [], resp.start(1)
    for name in resp.group(1).split("、"):
        spans.append((pos, pos + len(name)))
        pos += len(name) + 1
    nums = [m for m in matches if m.start() >= resp.end()]
    return {m.start(): sp for m, sp in zip(nums, spans)} if len(spans) == len(nums) > 1 else {}


def _respectively(key: str) -> re.Match | None:
    """``_RESPECTIVELY.search(key)``, started where the match starts: after the clause mark before the first 分别为
    that follows a character of its clause (a start before it has a mark or no 分别为 ahead)."""
    q = key.find("分别为")
    while q >= 0:
        start = max(key.rfind(c, 0, q) for c in ",，:：;；") + 1
        if start < q:
            return _RESPECTIVELY.search(key, start)
        q = key.find("分别为", q + 1)
    return None


def _ending(key: str, a: int, end: int) -> re.Match | None:
    """``_METRIC_STRIP.search(key, a, end)``: verbs and qualifiers (each at most 3 characters) ending at
    ``end``, searched in a window that grows until the match cannot be the end of a longer one."""
    width = 12
    while True:
        start = max(a, end - width)
        m = _METRIC_STRIP.search(key, start, end)
        if start == a or m is None or m.start() >= start + 3:
            return m
        width *= 4


def _metric_text(key: str, a: int, b: int, m: re.Match) -> str:
    """The metric: the key text at ``[a, b)`` without the number itself."""
    text = key[a:b]
    return (text[: m.start() - a] + text[m.end() - a :] if a <= m.start() < b else text).strip("“”\"'")
