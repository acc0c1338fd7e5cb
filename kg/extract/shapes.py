"""Memberships read from the shape of a sentence, not its wording: a body with members and a list of organizations.

The trigger rules (:mod:`~kg.extract.memberships`) know how news words a membership; this one is the
fallback for wordings they never saw. It speaks only when a sentence the rules left without a
membership has, in one clause, a word of the membership class (加入, 成员, 会员, 理事, 发起, 组成, 吸纳,
涵盖, 包括…) next to a run of organizations, and a body that has members (…联盟, …协会, …商会,
…共同体) in that clause or the one just before or after it. A run of two or more names is a list; a
single name counts only after a strong word (加入, 成员单位…). An intent marker before the word
(将, 拟, 计划, 意向, 筹…) makes the membership planned.
"""

from __future__ import annotations

import re

from kg.extract.clause import BODIES, SentenceView, Statement, add_statement, span_of
from kg.extract.orgs import Mention

__all__ = ["MEMBERS_NAMED", "find_by_shape", "is_guide", "list_before_deng"]

# the membership class: strong words make one name a member, weak ones need a list of two or more
_STRONG = r"加入|入盟|入会|加盟|成员|会员|理事单位|理事长单位|会长单位|发起单位|牵头单位"
_WEAK = r"发起|组成|组建|吸纳|吸收|涵盖|囊括|包括|包含|汇聚|集聚|聚集|共建|共同签署|联合签署"
_WORD = re.compile(f"({_STRONG})|{_WEAK}")
# an organization that only looks on, hosts or guides is no member (出席, 见证, 主办, 指导…)
_ONLOOKER = re.compile(r"出席|见证|致辞|主办|承办|协办|支持|指导|主管|领导|嘉宾|到场|"
                       r"参会|参加会议|观摩|调研|考察|授牌|揭牌")
_INTENT = re.compile(r"将|拟|计划|意向|筹|准备|有意|申请|争取")
MEMBERS_NAMED = re.compile(r"成员|会员|理事")  # 在A、B等成员单位的支持下: members that support are members
_GUIDES_AFTER = re.compile(r"(?:\([^()]{0,24}\)|\))?(?:负责|的|担任|作为|为)?(?:业务)?(?:指导|主管)"
                           r"|(?:、[^、,;。]{2,16}){0,2}"  # 、Y等…支持下: other items, found or not (two: linear)
                           r"(?:等(?:(?!成员|会员|理事)[^,;。]){0,8})?的?(?:大力|鼎力)?(?:支持|关心|帮助|关怀)下")


def is_guide(st: SentenceView, x: Mention) -> bool:
    """True when ``x`` guides rather than joins: X指导, 在X指导下, X、Y担任指导单位 (every item of the list)."""
    if _GUIDES_AFTER.match(st.key, x.j):
        return True
    run = st.list_after(x.i)
    return len(run) > 1 and run[0].i == x.i and _GUIDES_AFTER.match(st.key, run[-1].j) is not None


def find_by_shape(st: SentenceView, out: list[Statement]) -> None:
    """Append the memberships the shape of ``st`` states, when the wording rules found none in it."""
    if any(x.is_membership and x.sent == st.s.index for x in out[st.out_from :]):
        return
    key = st.key
    for w in _WORD.finditer(key):
        if st.inside_name(w.start()):
            continue
        a, b = st.clause_start(w.start()), st.clause_end(w.end())
        if _ONLOOKER.search(key, a, b):
            continue
        members = _run_at(st, w)
        if len(members) < (1 if w.group(1) else 2):
            continue
        body = _body_near(st, w.start(), a, b, members)
        if body is None and w.group(1):  # 商会成为理事单位: the body the sentence or the article spoke of
            body = st.body_before(w.start(), tuple(members))
        if body is not None:
            _add(st, out, members, body, (w.start(), w.end()), _INTENT.search(key, a, w.start()) is not None)
    _continued(st, out)


def _add(st: SentenceView, out: list[Statement], members: list[Mention], body: Mention, word: tuple[int, int],
         intent: bool) -> None:
    status = "planned" if intent or st.status(word[0]) == "planned" else "active"
    for x in members:
        if x.ent is not body.ent and not is_guide(st, x):
            add_statement(out, x, "memberOf", body, st, span_of(x, body, word), status, role="成员单位")


def _continued(st: SentenceView, out: list[Statement]) -> None:
    """分别为：A、B、C。 opening a sentence: the members the
    sentence before counted, of the body the article speaks of."""
    m = _CONTINUES.match(st.key)
    run = st.list_after(m.end()) if m and st.topic is not None and st.topic.type in BODIES else []
    if len(run) > 1 and run[0].i == m.end() and not any(x.is_membership and x.sent == st.s.index
                                                        for x in out[st.out_from :]):
        body = Mention(st.s.index, 0, 0, st.topic, "implicit")
        _add(st, out, [x for x in run if x.ent is not st.topic], body, (0, m.end()), False)


def _run_at(st: SentenceView, w: re.Match) -> list[Mention]:
    """The run of organizations ending right before the word or starting right after it (a body only after 成为…)."""
    key = st.key
    before = st.list_before(w.start(), st.clause_start(w.start()))
    gap = _GAP.fullmatch(key, before[-1].j, w.start()) if before else None
    if gap and (w.group(1) or "的" not in gap.group()):  # 经过A和B的发起: their initiative, not their membership
        copula = w.group(1) and _COPULA.search(gap.group())  # 商会成为理事单位: a body can be a member
        return [x for x in before if copula or x.ent.type not in BODIES]
    pos = _GAP_AFTER.match(key, w.end()).end()
    after = st.list_after(pos)
    if after and after[0].i <= pos and after[0].ent.type in BODIES and w.group(1):  # 加入Y的还有A、B
        rel = _RELATIVE.match(key, after[0].j)
        after = st.list_after(rel.end()) if rel else []
        pos = rel.end() if rel else pos
    if after and after[0].i <= pos:
        return [x for x in after if x.ent.type not in BODIES]
    end = st.clause_end(w.end())  # 公布了首批成员名单，其中X区域有A、B等20家: the list opens the next clause
    intro = _INTRO.match(key, end + 1) if w.group(1) and end < len(key) and key[end] in ",，:：" else None
    after = st.list_after(intro.end()) if intro else []
    return [x for x in after if x.ent.type not in BODIES] if after and after[0].i == intro.end() else []


# between a run and the word: 等, a count, 共同/均/也 (A、B等12家单位共同发起 ; A、B均为成员) — at most 16 characters
_GAP = re.compile(r"(?:等[^,;:。、]{0,10})?(?:共同|均|也|都|已|先后|正式|相继|一起|分别)?(?:参与|当选|被推选|被选)?"
                  r"(?:为|是|成为|作为)?(?:该|其|本)?的?(?:[\d两二三四五六七八九十几多]+[家个所名])?")
# after the word: 了, a colon, a count (包括了 ; 成员单位有: ; 涵盖12家单位，…)
_COPULA = re.compile("成为|为|是|作为")
# 加入Y“朋友圈”的还有 — at most 12 characters
_RELATIVE = re.compile(r"[^,;:。、]{0,6}?的(?:还|也)?(?:有|是|包括|为)[:：]?")
_CONTINUES = re.compile(r"(?:其中|他们|它们)?(?:分别为|分别是|依次为|依次是|名单如下)[:：]?")
# what opens a clause that lists the members a word before announced (其中…有 ; 包括 ; 分别是) — at most 12 characters
_INTRO = re.compile(r"(?:其中|分别|依次)?[^,;:。、]{0,6}?(?:有|包括|包含|为|是|如)[:：]?")
_GAP_AFTER = re.compile(r"(?:单位|企业|名单)?(?:了|有|为|是|包括|包含)?[:：]?")


def _body_near(st: SentenceView, pos: int, a: int, b: int, members: list[Mention]) -> Mention | None:
    """The body with members named in the word's clause (the nearest to ``pos``), else in the clause before or after."""
    skip = {id(x.ent) for x in members}
    ok = lambda x: x.ent.type in BODIES and id(x.ent) not in skip and not st.in_list(x)  # noqa: E731
    bodies = st.orgs_of(BODIES)
    here = [x for x in bodies.starting(a, b) if x.j <= b and ok(x)]
    if here:
        return min(here, key=lambda x: abs(x.i - pos))
    before = st.clause_start(a - 1) if a > 0 else a
    prev = [x for x in bodies.starting(before, a) if x.j <= a and ok(x)]
    if prev:
        return prev[-1]
    nxt = [x for x in bodies.starting(b, st.clause_end(b + 1)) if ok(x)] if b < len(st.key) else []
    return nxt[0] if nxt else None


_DENG = re.compile("等")


def list_before_deng(st: SentenceView, start: int, end: int) -> list[Mention]:
    """The run of organizations that ends in 等 inside ``[start, end)``: A、B、C等来自…的35家园区 → A, B, C."""
    key = st.key
    for d in reversed([m.start() for m in _DENG.finditer(key, start, end)]):
        run = st.list_before(d, start)
        if run and run[-1].j == d and (len(run) > 1 or run[0].i == start):
            return run
    return []
