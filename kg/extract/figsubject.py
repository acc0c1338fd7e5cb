"""Whose figure: the tests that say the text does not settle which organization a figure is about.

:mod:`~kg.extract.figures` proposes a subject for each number (the organization named last in its
clause, the one carried from the clause before, the park named earlier); a figure whose subject
fails one of these tests is a guess, and a guess is not emitted. The tests ask who the clause's
subject is (a place: 温岭共有15个重大项目…), what the named organization is doing (a transfer,
settling in a park, investing in what follows) and whether a bare 园区 can refer to the park the
article is about; some read the sentence's structure (jieba's tags, where the names fall), others
are word lists written from errors on real/dev and self-written texts (event words, titles, 在/于,
the join verbs), so they fit the wording they were written for. :class:`Topic` carries what one
sentence tells the next (the park's figures going on, a period reported).

>>> places = article_places(["台州温岭市东部产业集聚园区"])
>>> [place_leads(k, 0, Spans([]), places) for k in ("温岭共有15个项目", "云南出台办法", "园区共有15个", "新建厂房")]
[True, True, False, False]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate, islice

from kg.extract.document import Document, Sentence
from kg.extract.entities import Ent, Found
from kg.extract.figfilter import (
    BARE_PARK,
    COLLAB,
    LOCATED_WORDS,
    PARK_NAME_END,
    PLANNED,
    clause_end,
    counts_members,
    describes_next,
    is_place_name,
    short_forms,
    unsure_subject,
)
from kg.extract.lexicon import PLACE_NAMES, SUFFIXES, TIME_WORDS, TITLE_WORDS, suffix_of
from kg.extract.positions import Spans
from kg.extract.segment import words
from kg.text import name_key

__all__ = ["PERIODS", "Scene", "TRANSFER", "Topic", "WINDOW", "about_home", "article_places", "is_headline", "others",
           "own_names", "place_leads", "sentence_subject", "unsettled", "unsettles_next", "why_guess"]

WINDOW = 60  # characters before a number that the cue and subject tests look at (linear time)
TRANSFER = re.compile(r"提供|授信|融资|领投|注资|出资|贷款|放款|发放|给予|获得|签署|签订(?!单)"
                      r"|(?:向|为)[^,，;；。]{1,25}投资")
_PLACE_WORD = re.compile(r"[全本该][省市县州镇]|全国")  # the whole or this province, city…; not 全区: the park
_PLACE_SCOPE = re.compile(r"[^,，;；。]{0,12}?(?:" + _PLACE_WORD.pattern + ")")
_PREPOSITIONS = frozenset("与和同跟向为对")
_LOCATIVE = _PREPOSITIONS | frozenset("在于、及")  # where something happens, or an item of a list
_LIST_GAPS = frozenset({"、", "和", "及", "与"})  # between two items of a list (A、B等…, A和B共建)
_CLAUSE_MARK = re.compile(r"[,，;；:：]")
_NUMBERED = re.compile(r"[一二三四五六七八九十\d]{1,3}、")
_SETTLES_IN = re.compile(r"(?:落户|入驻|迁入|落地|进驻|入园|" + LOCATED_WORDS + r")$")
# X集团投资的Y项目投资额: the investor's (or the project's) figure, not Y's
_BUILT_BY = re.compile(r"(?:投资|投建|建设|打造|开发|运营)的$")
# 郑州经开区工程装备产业集群，…集聚企业超1000家: the cluster's or project's figure, not the park's
_THING_AFTER = re.compile(r"[\u4e00-\u9fff]{0,10}?(?:集群|项目)(?=[,，;；:：])")
_NOUN_POS = ("n", "j", "l", "b", "vn")  # jieba's nouns, abbreviations, set phrases, distinguishing words
_NOT_IN_NOUN_POS = ("t", "d", "p", "m", "r", "c", "u", "q")  # time, adverb, preposition, numeral, pronoun…
_PROJECTS = re.compile(r"项目[^,，;；。、]{0,8}$")  # 16个项目正式签约落户园区
_ADMIN = re.compile(r"[省市县州]")
_BARE_COUNT = frozenset({"数量", "总数", "个数", "家数", "数"})
# words that open a clause before its subject: times (当天, 今年, 2月24日), 目前, 据…
_LEAD_POS = frozenset({"t", "m", "x", "c", "p"})
_LEAD_WORDS = TIME_WORDS | {"当天", "当日", "截至", "截止"}
_LEAD_MARKS = frozenset(",，:：")
# an organization named as what an event is about (X投资推介会, X项目签约仪式): the event's figures, not X's
# (orgspans._EVENT_ENDS is another list, for another question: the last words of an event, after which 暨/与 or a
# preposition starts a new name; the two are not kept in step)
_EVENT = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:推介会|洽谈会|对接会|签约会|发布会|博览会|交易会"
                    r"|大会|峰会|论坛|仪式|典礼|活动)")
# an organization named in a person's title (X党委书记张三告诉记者，…): the person speaks, the organization does not act
_TITLES = "|".join(sorted(TITLE_WORDS, key=len, reverse=True))
_OFFICES = "|".join(sorted((k for k, t in SUFFIXES.items() if t in ("PartyOrganization", "GovernmentBody")),
                           key=len, reverse=True))  # X党委书记, X管委会办公室主任
_TITLE = re.compile(r"(?:" + _OFFICES + "){0,2}(?:" + _TITLES + ")")
_UNCLASSIFIED = "Organization"  # the generic class: a name with a kind word (…中心) or with none (a cut?)
PERIODS = (r"(?:\d{4}年)?(?:上半年|下半年|全年|一季度|前三季度|\d{1,2}月(?:至|到|-)\d{1,2}月|\d{1,2}月份?)"
            r"|截至\d{1,2}月[初底末]?|今年以来|今年|去年|\d{4}年")
# a period a clause opens with (上半年, 截至2024年底, 1-10月, 第一季度, 今年以来, 目前…):
# forms jieba does not tag as time
_OPENING = re.compile(r"(?:截至|截止|到)?(?:目前为?止?|如今|近年来|" + PERIODS
                      + r"|第?[一二三四]季度|\d{1,2}(?:至|到|-)\d{1,2}月"
                      r"|\d{1,2}月[初底末]|\d{4}年[初底末])(?:以来)?")
_SOURCE = frozenset({"据统计", "据了解", "数据显示", "统计显示"})  # words that say a report follows
_DONE_AFTER = re.compile(r"后|达产|建成|投产")  # 达产后，预计…; 今年建成投产后: a projection's condition
_PARK_WORD = re.compile(r"全区|园区|开发区|高新区|经开区")  # the park itself, by no name of its own
_HEADLINE = 30  # key characters: a shorter line that ends no sentence is a headline or a caption
_SENTENCE_ENDS = tuple("。！？!?；;.…”」』）)")


@dataclass(slots=True)
class Scene:
    """What the subject tests know of one sentence."""

    key: str
    orgs: Spans  # the sentence's organization mentions
    home: Ent | None  # the park the article is about
    before: Ent | None  # the first organization the sentence before names (a bare 园区's antecedent)
    place_led: bool  # the sentence opens with a place that acts (云南出台…, 乌鲁木齐各大园区…)
    places: frozenset[str]  # the article's places (:func:`article_places`)
    headline: bool = False  # a short line that ends no sentence (a headline, a caption)
    subject: Ent | None = None  # the organization the sentence speaks of (:func:`sentence_subject`)


def is_headline(key: str, last: bool) -> bool:
    """A short line that ends no sentence and has text after it (``last``: it ends the text): a headline or a
    caption (累计孵化项目433个 over the paragraph that says whose)."""
    return not last and len(key) <= _HEADLINE and not key.endswith(_SENTENCE_ENDS)


def sentence_subject(key: str, orgs: Spans, acting: bool = True) -> Ent | None:
    """The organization the sentence ``key`` speaks of (``orgs``: its organization mentions), most often the first
    it names, but not a bare 园区 inside a clause (在园区组织机构…; 该园区…, 今年以来，园区… are). ``acting``:
    nor one named where something happens or as another party (在X举行, 与X签约), nor an item of a list
    (X、Y等园区获评…); without it, the first organization named (what a later bare 园区 may refer to)."""
    for x in orgs.items:
        if x.i > 0 and key[x.i : x.j] == "园区" and key[x.i - 1] not in "该本,，;；:：":
            continue
        if not acting or not _after_locative(key, x.i) and not key.startswith("、", x.j) and (
                _gap_after(key, orgs, x) not in _LIST_GAPS):
            return x.ent
    return None


def article_places(names) -> frozenset[str]:
    """Places an article names inside its organizations' names (台州温岭市东部产业集聚园区 → 温岭, 州温岭): with
    the known places (``PLACE_NAMES``), the words that can be a place leading a clause."""
    out = set()
    for name in names:
        for m in _ADMIN.finditer(name):
            out |= {name[m.start() - n : m.start()] for n in (2, 3) if m.start() >= n}
    return frozenset(out)


def place_leads(key: str, start: int, orgs: Spans, places: frozenset[str] = frozenset()) -> bool:
    """The clause starting at ``start`` opens, after a time or a lead word, with a place that is no part of an
    organization's name and is followed by what it does or has (温岭共有…, 云南出台…, 乌鲁木齐各大园区…, 该县新引进…):
    the place is the clause's subject."""
    pos = start
    for text, tag in words(key[start : start + 16]):
        if _PLACE_WORD.match(key, pos):
            return True
        if tag in _LEAD_POS or text in _LEAD_WORDS:
            pos += len(text)
            continue
        if tag != "ns" or orgs.covering(pos) or orgs.at(pos) or not _is_place(text, places):
            return False  # a word tagged ns may be a verb or a noun too: only a place surely one (_is_place)
        rest = words(key[pos + len(text) : pos + len(text) + 6])
        return bool(rest) and not rest[0][1].startswith(("n", "j")) and rest[0][0] not in _LEAD_WORDS
    return False


def why_guess(sc: Scene, about_m, how: str, rule: str, clause_start: int, num: tuple[int, int],
              metric: tuple[int, str], carried_guess: bool) -> str:
    """Why the figure's subject (``about_m``, chosen ``how``; None: the home park by default) is a guess, or ""
    when the text settles it (``carried_guess``: the figure its subject is carried from was a guess)."""
    if rule == "members" and about_m is not None and about_m.ent.type not in COLLAB:
        return "list_member"  # B等N家…为成员单位: not B's
    about = about_m.ent if about_m else sc.home
    if about is not None and about.type == _UNCLASSIFIED and suffix_of(about.key) is None:
        return "unclassified"  # a name with no kind word (福清市云, cut from 福清市云签约…): whose figure is unsure
    if about is not None and is_place_name(about.name):
        return "place_name"  # 青山街道140余家企业: the place's
    if how == "carried" and carried_guess:
        return "carried_guess"  # the clause it is carried from did not settle it either
    if sc.headline:
        return "headline"  # 累计孵化项目433个 over the paragraph that says whose
    return unsettled(sc, about_m, how, clause_start, num, metric)


def unsettles_next(sc: Scene, why: str, end: int) -> bool:
    """A figure unsettled for ``why`` leaves the subject carried to the next clause unsettled too: unless only the
    figure was in doubt (a count of such bodies; a figure describing what follows, when no organization follows:
    X加速器服务年营收2000万元以上的企业，目前在册企业37家 is still X's)."""
    if why == "kind_count":
        return False
    return why != "describes_next" or next(sc.orgs.forward(end, clause_end(sc.key, end)), None) is not None


def unsettled(sc: Scene, about_m, how: str, clause_start: int, num: tuple[int, int], metric: tuple[int, str]) -> str:
    """Why the text does not settle whose figure the number at key span ``num`` is, or "" when it does: a transfer
    between two bodies (为园区企业提供50亿元授信, 向X投资2亿元), a place's figure (全市已有…, a clause or sentence
    led by a place), the other party or the last item of a list (与生物城签约…, 南昌经开区、临空区园区总收入…), a
    figure of what follows (年度投资逾350亿元的X公司), of a company settling in the park (X落户园区，总投资…), of an
    investor (X投资的Y项目投资额), of an event named after the subject (X投资推介会), of a thing the subject
    names (X产业集群，…集聚企业…), a count of bodies of the subject's kind (X联盟数量达到19家), or the park named
    before another organization. ``metric``: where the metric starts and its text."""
    key, (at, end) = sc.key, num
    if TRANSFER.search(key, max(clause_start, at - WINDOW), at):
        return "transfer"
    if _PLACE_SCOPE.match(key, clause_start, at):
        return "place_scope"  # 全市已有…
    if how in ("default", "home", "carried") and (sc.place_led or place_leads(key, clause_start, sc.orgs, sc.places)):
        return "place_led"  # 温岭共有15个重大项目…, 云南出台…并筛选161个项目
    if about_m is not None and (why := _unsure_mention(sc, about_m, how, clause_start, at)):
        return why
    if describes_next(key, end):
        return "describes_next"  # 年度投资逾350亿元的X公司, 投资26.6亿元扩建新厂的X公司: a figure of what follows
    if about_m is not None and metric[0] == about_m.j and metric[1] in _BARE_COUNT:
        return "kind_count"  # 长三角产业链联盟数量达到19家: how many such alliances there are
    return ""


def _unsure_mention(sc: Scene, about_m, how: str, clause_start: int, at: int) -> str:
    """Why the subject's mention does not settle the figure (see :func:`unsettled`), or ""."""
    key, i, j = sc.key, about_m.i, about_m.j
    if how == "carried" and (again := next(
            (x for x in sc.orgs.backward(max(j, at - WINDOW), at) if x.ent is about_m.ent), None)):
        if _SETTLES_IN.search(key, max(0, again.i - 4), again.i):
            return "settles_in"  # 园区新签约项目63个…X项目落户园区，总投资56亿元: named again, settled in
    if i > 0 and key[i - 1] in _PREPOSITIONS:
        return "other_party"  # 与生物城签约，计划投资10亿元: the other party's figure
    if how == "home" and _TITLE.match(key, j) and counts_members(key, clause_start, at):
        # X物流园党委书记张三告诉记者，成立半年多来，成员单位之间共享仓储面积…: the members'
        # (X主任…介绍，今年新增…: X's)
        return "title"
    if how == "home" and i > 0 and key[i - 1] in "在于" and sc.orgs.items[0].i < i - 1:
        return "venue"  # X成立大会在青山产业园召开，首批会员单位共51家: where X acted (在X，… frames the park's figure)
    if unsure_subject(key, i, j, name_key(about_m.ent.name), at):
        return "unsure_subject"
    if _bare_park_elsewhere(sc, about_m):
        return "bare_park"
    if i > 0 and key[i - 1] in "、及" and (how == "carried" or sc.orgs.ending_at(i - 1)):
        return "list_item"  # 洽谈A、B、C等项目，促成签约项目73个: not C's; 南昌经开区、临空区园区总收入: not B's alone
    if _SETTLES_IN.search(key, max(0, i - 4), i) and not _PROJECTS.search(key, max(0, i - 12), i):
        return "settles_in"  # X公司落户园区，总投资56亿元 (16个项目签约落户园区，合同总金额…: the park's signing)
    if _BUILT_BY.search(key, max(0, i - 4), i):
        return "built_by"  # X集团投资的Y项目投资额为6.72亿元
    if _names_event(key, j):
        return "event"  # 举办X投资推介会，现场签约41家企业 (X举办…签约仪式，总投资… is X's: 举办 is a verb)
    if (t := _THING_AFTER.match(key, j)) and t.end() < clause_start and _noun_phrase(key[j : t.end()]):
        return "thing_after"  # 郑州经开区工程装备产业集群，…，集聚企业超1000家
    if how == "home" and not _home_is_subject(sc, about_m) and others(sc.orgs, j, at, about_m.ent) > 0:
        return "home_before_other"  # 在园区，总投资20亿元的X公司…: X's (a park opening the sentence is its subject)
    return ""


def _names_event(key: str, j: int) -> bool:
    """The name ending at ``j`` opens a noun phrase ending in an event word that jieba reads as a word of its own
    (X投资推介会, X项目签约仪式; not 大会 of X项目建设大会战: a campaign)."""
    if (ev := _EVENT.match(key, j)) is None:
        return False
    ends = set(accumulate(len(w) for w, _ in words(key[j : ev.end() + 2])))
    return ev.end() - j in ends and _noun_phrase(key[j : ev.end()])


def _noun_phrase(text: str) -> bool:
    """``text`` is a noun phrase (工程装备产业集群, 智能制造产业集群): it opens with a noun, and no time word, adverb,
    preposition, numeral or pronoun is in it (今年共开工建设重大项目, 集中签约项目: what the subject does)."""
    ws = words(text)
    return bool(ws) and ws[0][1].startswith(_NOUN_POS) and not any(t.startswith(_NOT_IN_NOUN_POS) for _, t in ws)


def _is_place(word: str, places: frozenset[str]) -> bool:
    """A word jieba tags as a place that surely is one: a known place, a place the article's organizations are
    named after, or a name ending as an administrative division does (X省, X市, X县, X州)."""
    return word in PLACE_NAMES or word in places or len(word) >= 3 and word[-1] in "省市县州"


def _home_is_subject(sc: Scene, about_m) -> bool:
    """The park is the first organization the sentence names, not after 在/于 (where something happens), and not in
    a phrase describing another organization named next (A和B共建的园区——X): the sentence's subject, which the
    organizations named after it do not displace (X产业园由A、B共建…, X是Y的园中园…)."""
    first = sc.orgs.items[0] if sc.orgs.items else None
    if first is None or first.ent is not about_m.ent or _after_locative(sc.key, first.i):
        return False
    gap = _gap_after(sc.key, sc.orgs, first)
    if gap in _LIST_GAPS:
        return False  # A、B、C等35家园区入盟: the first item of a list
    return "的" not in gap or _CLAUSE_MARK.search(gap) is not None  # 园区内的X孵化器…: the park says where X is


def _after_locative(key: str, i: int) -> bool:
    """The mention starting at ``i`` follows 在/于/与/为… (where something happens, another party) or 、/及 (an item of
    a list; 四、园区配套… is a section's number, not a list)."""
    return i > 0 and key[i - 1] in _LOCATIVE and not _NUMBERED.fullmatch(key, 0, i)


def _gap_after(key: str, orgs: Spans, x) -> str:
    """The text between mention ``x`` and the next mention of another organization ("" when none follows)."""
    nxt = next((y for y in orgs.forward(x.j, len(key)) if y.ent is not x.ent), None)
    return key[x.j : nxt.i] if nxt else ""


def _bare_park_elsewhere(sc: Scene, about_m) -> bool:
    """A bare 园区 read as the home park while its antecedent is another park: the organization named last before
    it in the sentence (a bare 园区 before it has the same antecedent, so it is passed over), or else the first
    one the sentence before names (多家企业与东湖高新黄冈智造园签订了意向入驻协议。…园区全面建成后…): which park
    it means is not settled."""
    if about_m.ent is not sc.home or sc.key[about_m.i : about_m.j] not in BARE_PARK:
        return False
    last = next((x.ent for x in sc.orgs.backward(0, about_m.i - 1)
                 if x.j <= about_m.i and not (x.ent is sc.home and sc.key[x.i : x.j] in BARE_PARK)), sc.before)
    return last is not None and last is not sc.home and PARK_NAME_END.search(name_key(last.name)) is not None


def others(orgs: Spans, a: int, b: int, ent: Ent) -> int:
    """Organizations other than ``ent`` named in ``[a, b)`` (counted up to 3, in the ``WINDOW`` before ``b``)."""
    return sum(1 for _ in islice((x for x in orgs.forward(max(a, b - WINDOW), b) if x.ent is not ent and x.j <= b), 3))


def own_names(doc: Document, found: Found) -> dict[int, int]:
    """How many times the article names each organization (by ``id``) by a name of its own: the mentions the
    sentences keep (``found.mentions``; not a parent written inside another name, X of X党委) that are not a bare
    kind word (园区, 联盟, 开发区; 该联盟 is the bare 联盟) — unless the article declared that word its short form
    (青山机器人产业联盟（以下简称“联盟”）). A name written once — a headline's words glued to it, a name cut short, a
    body named only in passing — is no settled subject of a figure: on the dev batches at first sight (each scored
    by the code before it joined) such subjects were right 14 times in 47 (member counts aside; 8 in 28 of those
    the organization pass linked a kind word back to: counting such links was measured and left out), those named
    twice or more 75 times in 124 (:func:`~kg.extract.figfilter.choose_without_model`). A glued name linked with
    the body's own (科技创新捷报频传青山经济开发区 … 青山经济开发区) counts with it: that glue is the organization
    pass's to cut."""
    spans: dict[int, set[tuple[int, int]]] = {id(e): set() for e in found.ents if e.is_org}
    for s in doc.sentences:
        for m in found.mentions(s.index):
            if id(m.ent) in spans and (m.declared or _own_name(s.key[m.i : m.j])):
                spans[id(m.ent)].add((s.index, m.i))
    return {k: len(v) for k, v in spans.items()}


def _own_name(text: str) -> bool:
    """``text`` names an organization by a name of its own: not a bare kind word (园区, 联盟, 经开区)."""
    return bool(text) and text not in BARE_PARK and suffix_of(text) != text


class Topic:
    """The organization named last before the sentence at hand, the one the article names most (neither if a short
    form: :func:`~kg.extract.figfilter.short_forms`), whether the sentence before gave the park a figure, places,
    and how often each organization is named by a name of its own (:func:`own_names`)."""

    def __init__(self, found: Found, doc: Document):
        self.found = found
        self.named = own_names(doc, found)
        self.last: Ent | None = None
        self.home_figure = False
        self.places = article_places(e.key for e in found.ents if e.is_org)
        self.short = short_forms(e.key for e in found.ents if e.type in COLLAB)
        counts = [(len(e.mentions), -min((x.sent, x.i) for x in e.mentions)[0], k, e)
                  for k, e in enumerate(found.ents) if e.is_org and e.mentions]
        main = max(counts, key=lambda c: c[:3])[3] if counts else None
        self.main: Ent | None = None if main is None or main.key in self.short else main

    def read(self, s: Sentence) -> None:
        """Sentence ``s`` is done: the organization it names last is the one named last before the next."""
        if orgs := [x for x in self.found.mentions(s.index) if x.ent.is_org]:
            last = max(orgs, key=lambda x: x.j).ent
            self.last = None if last.key in self.short else last

    def before(self, doc: Document, s: Sentence) -> tuple[Ent | None, Ent | None]:
        """The subject of the sentence before ``s`` and the first organization it names (:func:`sentence_subject`)."""
        if s.index == 0:
            return None, None
        key = doc.sentences[s.index - 1].key
        orgs = Spans([x for x in self.found.mentions(s.index - 1) if x.ent.is_org])
        return sentence_subject(key, orgs), sentence_subject(key, orgs, acting=False)

    def home_goes_on(self, s: Sentence, before: Ent | None) -> bool:
        """A sentence naming no organization goes on with the park's figures after one that gave the park a figure,
        or had it as subject (``before``) when it reports a period (园区持续…。上半年…), not a projection
        (…。达产后，预计…)."""
        return not any(x.ent.is_org for x in self.found.mentions(s.index)) and (
            self.home_figure or before is self.found.home and _reports_period(s.key))


def _reports_period(key: str) -> bool:
    """The sentence opens, after 据统计/目前/同时… and marks, with the period it reports on (上半年, 截至2024年底,
    1-10月, a word jieba tags as a time), in a lead clause that states no condition or plan (达产后，预计…;
    今年建成投产后)."""
    lead = key[: clause_end(key, 0, 20)]
    if PLANNED.search(lead) or _DONE_AFTER.search(lead):
        return False
    pos = 0
    for text, tag in words(key[:24]):
        if _OPENING.match(key, pos):
            return True
        if text not in _SOURCE and text not in _LEAD_WORDS and text not in _LEAD_MARKS:
            return tag == "t"
        pos += len(text)
    return False


def about_home(key: str, clause_start: int) -> bool:
    """The clause speaks of the park itself, after the period it opens with (园区实现…, 今年全区…): the park's
    figure."""
    m = _OPENING.match(key, clause_start)
    return _PARK_WORD.match(key, m.end() if m else clause_start) is not None
