"""Figures: a number with its unit and qualifier, the metric it measures, and what it is about.

“上半年各类业务办理量达1万余件” → metric 各类业务办理量, value 10000, unit 件, qualifier 余,
period 上半年, about the park; “等13个基层党组织为成员单位” → a member count of the
organization that takes them in; “响应率、解决率、满意率分别为100%、99.39%、96.36%” → three
rates, paired in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.document import MAX_EVIDENCE, Document, Sentence
from kg.extract.orgs import Ent, Found
from kg.extract.positions import Marks, Spans

__all__ = ["Figure", "find_figures"]

_UNITS = "亿元|万元|元|万人次|人次|平方米|万平方米|亩|吨|家|个|件|次|人|套|项|台|名|户|所|%|％"
_NUMBER = re.compile(
    r"(?P<pre>约|近|超过|超|逾|达到|达|共|累计)?(?P<num>\d+(?:\.\d+)?)(?P<mult>万(?!元|人次|平方米)|亿(?!元))?"
    r"(?P<post>余|多)?(?P<unit>" + _UNITS + r")(?P<tail>以上|左右)?"
)
_PERIOD = re.compile(r"^(?:(?:\d{4}年)?(?:上半年|下半年|全年|一季度|前三季度|\d{1,2}月(?:至|到|-)\d{1,2}月"
                     r"|\d{1,2}月份?)|截至\d{1,2}月[初底末]?|今年以来|今年|去年|\d{4}年)")
_METRIC_STRIP = re.compile(r"(?:达到|达|约|近|超过|超|逾|共|累计|为|分别为|实现|完成)+$")
_RESPECTIVELY = re.compile(r"([^,，:：;；]+?)分别为")
_NOUN_AFTER = re.compile(r"[\u4e00-\u9fff]{2,8}?(?=[,，;；。、]|$|以上)")
_AS_MEMBERS = re.compile(r"[\u4e00-\u9fff]{0,6}为(?:成员单位|会员单位)")
_AMOUNT_UNITS = {"亿元", "万元", "元"}
_COLLAB = frozenset({"PartyBuildingCommunity", "Alliance", "Association", "ChamberOfCommerce", "PartyOrganization"})
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


def _qualifier(m: re.Match) -> str:
    if m.group("post"):
        return "余"
    if m.group("tail") == "以上":
        return "以上"
    pre = m.group("pre") or ""
    return {"约": "约", "近": "近", "超": "超", "超过": "超", "逾": "超", "达": "达", "达到": "达"}.get(pre, "exact")


def _value(m: re.Match) -> float | int:
    v = float(m.group("num"))
    if m.group("mult") == "万" and m.group("unit") not in _AMOUNT_UNITS | {"万人次"}:
        v *= 10000
    elif m.group("mult") == "亿" and m.group("unit") not in _AMOUNT_UNITS:
        v *= 100000000
    return int(v) if v.is_integer() else v


def find_figures(doc: Document, found: Found, statements=()) -> list[Figure]:
    """Every figure in ``doc`` that has a sensible metric (text before the number, or a noun right after it).

    ``statements`` are the article's memberships: “A、B等30余家单位(组成/加入…)” counts the
    members of the body the list joins, not something about B.
    """
    bodies = {(st.sent, id(st.subject)): st.object for st in statements if st.is_membership and st.object is not None}
    out: dict[tuple, Figure] = {}
    for s in doc.sentences:
        if not any(c.isdigit() for c in s.key):
            continue
        counted: set[int] = set()  # bodies whose member count the sentence gave: a later count is of a group of them
        for f in _sentence_figures(doc, s, found):
            _count_of_list(f, bodies)
            if f.measure == "memberCount" and id(f.about) in counted:
                continue  # 共有45家成员单位，包括…C、D等4个街道
            counted |= {id(f.about)} if f.measure == "memberCount" else set()
            if _sensible(f.metric):
                out.setdefault((id(f.about), f.metric, f.value, f.unit, f.period), f)  # a repeated figure once
    return list(out.values())


# not a metric: a list, people at an event, a cut phrase, a verb that has happened (组建了20人: a team, not a
# figure of the body), a plant's capacity (年产150万套: a project's, not the organization's)
_NOT_METRIC = re.compile(r"[\d、()（）等]|代表|嘉宾|参会|出席|^(?:等|来自|其中|包括|和|及|与|的|年产(?!值))"
                         r"|(?:的|和|及|与|等|之|在|了)$")


def _home_topic(found: Found, s: Sentence) -> bool:
    """A sentence naming no organization right after one about the park (园区持续… 上半年各类业务办理量达…)."""
    return (not any(x.ent.is_org for x in found.mentions(s.index))
            and any(x.ent is found.home for x in found.mentions(s.index - 1)))


def _about_home(key: str, clause_start: int) -> bool:
    """The clause speaks of the park itself (园区实现…, 全区…): a figure of the home park."""
    return _PARK_ITSELF.match(key, clause_start) is not None


_GROUP_SUBJECT = re.compile(r"(?:全省|全市|全国|全区)?(?:\d+|[一二三四五六七八九十两几多数]+|各|这些|其他|其余)"
                            r"[家个所]?(?:省级及以上|省级|国家级)?(?:园区|企业|开发区|高新区|单位|成员单位)")
_PARK_ITSELF = re.compile(r"(?:今年|去年|全年|上半年|目前|截至[^,;。]{0,8})?(?:全区|园区|开发区|高新区|经开区)")


def _sensible(metric: str) -> bool:
    """A metric a reader would accept: a short phrase, no number or list in it, not cut mid-phrase."""
    return 2 <= len(metric) <= 16 and not _NOT_METRIC.search(metric)


def _count_of_list(f: Figure, bodies: dict) -> None:
    """“…、B等(国内)30余家…” after a list whose items join a body Y: the figure is Y's member count;
    so is “Y共有/已吸纳/拥有N家” of a body with members."""
    if f.unit not in ("家", "个", "所", "名"):
        return
    body = bodies.get((f.sent, id(f.about)))
    if body is not None and f.metric.startswith("等"):
        f.about, f.metric, f.measure = body, "成员单位数量", "memberCount"
    elif f.about.type in _COLLAB and re.fullmatch(r"(?:目前|现)?(?:共有|已有|拥有|已吸纳|吸纳了?|现有)", f.metric):
        f.metric, f.measure = "成员单位数量", "memberCount"


def _period(doc: Document, s: Sentence, clause_start: int, at: int) -> tuple[int, str | None]:
    """The period opening a clause (上半年, 1-6月…) before ``at``, and where the clause goes on after it."""
    pm = _PERIOD.match(s.key, clause_start, at)
    return (pm.end(), doc.name(*s.span(clause_start, pm.end()))) if pm else (clause_start, None)


def _sentence_figures(doc: Document, s: Sentence, found: Found) -> list[Figure]:
    key = s.key
    ms = found.mentions(s.index)
    orgs = Spans([x for x in ms if x.ent.is_org])
    home = Spans([x for x in ms if x.ent is found.home])  # the park's mentions, for the last one before a figure
    home_topic = _home_topic(found, s)  # a property of the sentence, not of each figure
    marks = Marks(key, ",，;；:：、")
    out: list[Figure] = []
    matches = list(_NUMBER.finditer(key))
    paired = _paired(key, matches)
    carried = None
    for m in matches:
        unit = "%" if m.group("unit") in ("%", "％") else m.group("unit")
        clause_start, period = _period(doc, s, marks.last_before(m.start()) + 1, m.start())
        near = next((x for x in orgs.backward(clause_start, m.start()) if x.j <= m.start()), None)
        if near is None and _GROUP_SUBJECT.match(key, clause_start):
            carried = None
            continue  # 全省28家园区生产总值占比…, 各园区…: a figure of many bodies, not of one named before
        # …宜都高新区实现工业总产值X，生产总值Y: the same subject;
        # 园区…，上半年各类业务办理量达…: the park the sentence named
        about_m = near or carried or next((x for x in home.backward(0, m.start()) if x.j <= m.start()), None)
        a = about_m.j if about_m and about_m.i >= clause_start else clause_start
        strip = _ending(key, a, m.start())
        b = strip.start() if strip else max(a, m.start())
        while a < b and key[a] in "的在对":
            a += 1
        end, measure = m.end(), "count"
        after = _NOUN_AFTER.match(key, m.end())
        if m.start() in paired:
            a, b = paired[m.start()]
        elif _AS_MEMBERS.match(key, m.end()):
            measure = "memberCount"
            about_m = next((x for x in ms if x.i < m.start() and x.ent.type in _COLLAB), about_m)
            a, b = m.start(), m.start()
            end = key.find("单位", m.end()) + 2
        elif after and (b - a < 2 or key.endswith(_VERB_ENDINGS, a, b)):
            a, b = (a, after.end()) if b - a < 6 else (m.end(), after.end())
            end = b
        if measure != "memberCount" and b - a - (m.end() - m.start()) > 30:
            continue  # a metric of more than 30 characters (what _metric_text would cut) is none
        metric = "成员单位数" if measure == "memberCount" else _metric_text(key, a, b, m)
        if not metric or not 2 <= len(metric) <= 30:
            continue
        if unit == "%":
            measure = "share" if key.find("完成", clause_start, m.start()) >= 0 else "rate"
        elif unit in _AMOUNT_UNITS:
            measure = "amount"
        carried = about_m
        about = about_m.ent if about_m else found.home
        if about is None or (about_m is None and measure != "memberCount" and not _about_home(key, clause_start)
                             and not home_topic):
            continue  # no organization named in the clause: whose figure it is would be a guess
        q_start = min(x for x in (a, m.start(), about_m.i if about_m and about_m.i >= clause_start else a)
                      if x is not None)
        if max(end, m.end()) - q_start > MAX_EVIDENCE:
            q_start = min(a, m.start())  # the subject named too far before: the quote is the metric and the figure
        out.append(Figure(about, metric, measure, _value(m), unit, _qualifier(m), period, s.index, q_start,
                          max(end, m.end())))
    return out


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
