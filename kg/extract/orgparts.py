"""Names inside names (X有限公司|党支部, X局(Y局), …会长|X|代表|商会, 全旺镇) and names glued to what surrounds them."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from typing import TYPE_CHECKING

from kg.extract.cands import Cand
from kg.extract.lexicon import (
    BOUNDARY_WORDS,
    GENERIC_WORDS,
    LEVEL,
    ORG_TYPES,
    PLACE_NAMES,
    SUFFIXES,
    TITLE_WORDS,
    suffix_of,
)
from kg.extract.orgbounds import MAX_SPAN
from kg.extract.references import ANAPHORS
from kg.extract.segment import is_generic_word, words
from kg.extract.shortforms import GLUE
from kg.extract.tokens import is_generic_name

if TYPE_CHECKING:
    from kg.extract.tokens import Tokens

__all__ = ["over_brackets", "outside_brackets", "party_parents", "after_titles", "is_place", "unglued", "unglued_spans",
           "whole_bodies", "after_dateline"]

_BRACKET = re.compile(r"\(((?!简称|以下|下称|原|筹|注|即|含)[\u4e00-\u9fff·]{1,10})\)")


def over_brackets(key: str, cands: list[Cand]) -> list[Cand]:
    """Each rule name followed by a bracket holding another body's name or a place keeps the bracket's end (the name
    as written, 市工信局(大数据发展局), …开发区(头屯河区), …中心(宁夏), is its alias); the candidates inside it go.
    Not a short form of the name (经济及科技发展局(经科局), 简称…) nor a description (…有限公司(游戏引擎))."""
    short: list[tuple[int, int]] = []  # 经济及科技发展局(经科局): the short form is the name's alias, not a body
    for c in cands:
        if c.how in ("suffix", "lexicon") and c.type != "Qualification":
            m = _BRACKET.match(key, c.j)
            if m and _abbreviates(m.group(1), key[c.i : c.j]):
                short.append((c.j, m.end()))
            elif m and (is_place(m.group(1)) or suffix_of(m.group(1))):
                c.bracket = m.end()
    if short:
        cands = [c for c in cands if not any(a < c.i and c.j < b for a, b in short)]
    return outside_brackets(cands)


# a dateline opening a sentence (本报讯, 本刊讯, X7月3日讯, X北京5月6日电): what it says comes after it; a date
# alone is none (7月3日|讯飞科技…, 5月20日|电子商务协会: a name starting with 讯 or 电), a publisher or place writes it
_DATELINE = re.compile(r"(?:本报|本刊|本网|本台)讯"
                       r"|[^,;:。]{0,23}?[^,;:。\d]\d{1,2}月\d{1,2}日(?:专讯|讯|电)")


def after_dateline(key: str, cands: list[Cand]) -> list[Cand]:
    """``cands`` with a name that starts inside the dateline opening the sentence starting after it
    (本报讯|杭州市…联盟); a byline's own name (the publisher before the date) is left as found."""
    m = _DATELINE.match(key)
    if m is None:
        return cands
    end = m.end()
    out = []
    for c in cands:
        if c.how != "byline" and c.i < end < c.j:
            if c.j - end < 2 or key[end:c.j] in SUFFIXES:
                continue  # 本报讯|联盟: a bare suffix names nothing
            c = replace(c, i=end)
        out.append(c)
    return out


def outside_brackets(cands: list[Cand]) -> list[Cand]:
    """``cands`` without those inside the bracket written after another (:func:`over_brackets`)."""
    inside = [(c.j, c.bracket) for c in cands if c.bracket]
    return [c for c in cands if not any(a < c.i and c.j < b for a, b in inside)] if inside else cands


def _abbreviates(short: str, name: str) -> bool:
    """True when the characters of ``short`` occur in ``name`` in order (经科局 of 经济及科技发展局: a short form)."""
    it = iter(name)
    return all(ch in it for ch in short)


_PARTY_SUFFIXES = tuple(sorted((sf for sf, t in SUFFIXES.items() if t == "PartyOrganization"), key=len, reverse=True))
_PARENT_TYPES = frozenset(ORG_TYPES) - {"PartyOrganization", "PartyBuildingCommunity", "Alliance"}
_PARTY_UNIT = 6  # key characters between a parent's name and its party body's suffix at most (第一党委, 客户二处党支部)


def party_parents(picked: list[Cand], cands: list[Cand], key: str) -> list[Cand]:
    """The body a picked party organization is named after, as a candidate of its own: X股份有限公司|党总支,
    联想集团有限公司|第一党委, 国家开发银行厦门市分行|客户二处党支部 — the longest candidate that starts where
    the party body starts and ends before its suffix."""
    out: list[Cand] = []
    for c in picked:
        if c.type != "PartyOrganization" or not key.endswith(_PARTY_SUFFIXES, c.i, c.j):
            continue
        sf = next(x for x in _PARTY_SUFFIXES if key.endswith(x, c.i, c.j))  # the longest: the tuple is sorted so
        inner = [d for d in cands if d.i == c.i and d.j < c.j and c.j - len(sf) - d.j <= _PARTY_UNIT
                 and d.type in _PARENT_TYPES and d.j - d.i > len(suffix_of(key[d.i : d.j]) or "")
                 and not is_place(key[d.i : d.j])]  # 东湖街道|党工委: a place's party body names no other body
        if inner:
            out.append(max(inner, key=lambda d: d.j))
    return out


_ADMIN_ENDS = ("省", "市", "县", "区", "镇", "乡", "街道")  # not 社区, 村: 南尖社区, 创业村 are bodies
# zones a park body runs (临港新片区, 兰州新区, 长沙经开区): they end in 区 but are organizations
_ZONE_ENDS = ("新区", "片区", "园区", "开发区", "高新区", "经开区", "自贸区", "保税区", "示范区", "试验区", "合作区",
              "功能区", "集聚区", "产业区", "港区", "综保区", "工业区", "物流区")


def is_place(name: str) -> bool:
    """A place: a city or province the lexicon knows, or a name ending in an administrative unit (全旺镇) that
    does not name a zone (临港新片区)."""
    return name in PLACE_NAMES or name.endswith(_ADMIN_ENDS) and not name.endswith(_ZONE_ENDS) and 2 <= len(name) <= 6


_TITLE_VERBS = frozenset({"代表", "作", "兼", "率", "陪同", "受邀"})


def after_titles(core: list) -> list:
    """The words of a name after the last person's title in them and the person and verb that follow it
    (…商会常务副会长|强国勇|作|商会, …党委书记|甘小华|代表|镇党委): a name never holds a title."""
    t = next((n for n in range(len(core) - 1, -1, -1) if core[n].text in TITLE_WORDS or core[n].text == "原"
              or len(core[n].text) > 2 and core[n].text[-2:] in TITLE_WORDS), None)  # 原: former (…大学|原|X研究院)
    if t is None:
        return core
    rest = core[t + 1 :]
    while rest and (rest[0].pos.startswith("nr") or rest[0].pos in ("v", "vd", "p", "c", "d")
                    or rest[0].text in _TITLE_VERBS):
        rest = rest[1:]  # the person (nr) and the verb (作, 兼, 代表 which jieba tags n)
    return rest


# 深圳市委市政府, 县委县政府, 长春市委、市政府: a party committee and a government written as one, two bodies; the
# second keeps only its own place word (the gold's 乐山市委 + 市政府)
_PARTY = rf"[\u4e00-\u9fff]{{0,12}}?{LEVEL}委"  # 深圳市委, 县委, 中共长清区委
_PARTY_AND_GOVERNMENT = re.compile(rf"({_PARTY})、?({LEVEL}(?:人民)?政府)")
# 深圳市委市政府|督查室, …|联合调研组: the pair's own office (a conjunction starts another body: …|和市科技局)
_OFFICE = re.compile(r"(?:(?![和及与、])[\u4e00-\u9fff]){0,6}?(?:室|组|处|科|局|办)")
_GOVERNMENT_AFTER = re.compile(rf"、?{LEVEL}(?:人民)?政府")
_PARK_TYPES = frozenset({"IndustrialPark", "SciencePark"})
_PARTY_ENDS = ("支部", "总支", "党委", "党组")  # …第二支部: a party body (the lexicon's 部 is a government's)
_BARE_PARK_WORDS = ("园区", "园")  # 上海天华信息科技园|园区: a generic word after a park's own name
_NO_PIECES = frozenset({"known", "byline", "lexicon", "chain"})  # names whose edges another source vouches for
_VERB_POS = frozenset({"v", "vn"})
_CLAUSE_POS = ("v", "i", "l")  # verbs and set phrases (提高, 进一步提高)
_PREDICATE_POS = (*_CLAUSE_POS, "d", "ad", "a")  # and adverbs (高度重视, 积极)


def unglued(key: str, toks: Tokens, cands: list[Cand]) -> list[Cand]:
    """``cands`` with names glued to what surrounds them taken apart (``toks``: the sentence's words):

    - a party committee and a government written together (深圳市委市政府) are two bodies;
    - a left edge inside a word (提|高城南物流产业园: the model grew the name into 提高) moves to the word's end;
    - a verb the word lists know (:data:`~kg.extract.lexicon.BOUNDARY_WORDS`, :data:`~kg.extract.shortforms.GLUE`)
      inside a name ends what is before it: 中国石化|加入|联盟 is 中国石化 (a name of its own when the model
      found it) and a bare 联盟 that refers back; 利用|木伦工业区, 四季青街道牵线|江干区工商联 keep the part after it;
    - a park's name followed by a generic 园区 (…科技园|园区) is the park's name.
    """
    out: list[Cand] = []
    for c in cands:
        if c.how in _NO_PIECES or c.j - c.i < 3 or c.type == "Qualification":
            out.append(c)
        else:
            out += _pieces(key, toks, c)
    return _governments_named(key, out)


def _governments_named(key: str, cands: list[Cand]) -> list[Cand]:
    """``cands`` with a bare government written after its party committee (长春市委、|市政府) named after the
    committee's place (长春市政府) as :func:`_party_and_government` names it: two cities' 市政府 are two bodies."""
    named = {}
    for c in cands:
        g = _GOVERNMENT_AFTER.match(key, c.j) if c.type == "PartyOrganization" else None
        if g is not None:
            gov = g.group().lstrip("、")
            named[(g.end() - len(gov), g.end())] = _government_named(key[c.i : c.j], gov)
    if not named:
        return cands
    return [replace(c, written=named[(c.i, c.j)]) if named.get((c.i, c.j)) and not c.written else c for c in cands]


def unglued_spans(key: str, toks: Tokens, spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """The statistical model's spans ``(i, j, type, how)`` of a sentence taken apart as :func:`unglued` takes
    candidates apart, so that every pass that reads them (the candidates, the filter's other boundaries, the spans
    no rule took) reads the same pieces."""
    if not spans:
        return spans

    out = []
    for i, j, t, how in spans:
        if how == "model":
            out += [(c.i, c.j, c.type, how) for c in unglued(key, toks, [Cand(i, j, t, how)])]
        else:
            out.append((i, j, t, how))
    return out


def whole_bodies(key: str, cands: list[Cand], spans: list[tuple[int, int, str, str]]) -> list[Cand]:
    """``cands`` plus the model's spans (after :func:`unglued_spans`) that name a government body whole where the
    rules only found pieces inside it: 成都高新区|行政审批|服务局 (a park and a bare suffix: a park's name ends
    there, the filter joins a government's, 山东省民政厅|管理局), 深圳市委市政府|督查室 (a pair and its office).
    The longest name then wins the pick; a span running past the rules' names (…管理局|處, …商会|部份) is not
    taken."""
    whole = [(i, j, t, _pair_office(key, i, j)) for i, j, t, how in spans if how == "model" and t == "GovernmentBody"
             and (_pair_office(key, i, j) or SUFFIXES.get(suffix_of(key[i:j]) or "") == "GovernmentBody"
                  and not key.endswith(_PARTY_ENDS, i, j))]
    if not whole:
        return cands

    order = sorted(cands, key=lambda c: c.i)
    starts = [c.i for c in order]
    out = list(cands)
    for i, j, t, office in whole:
        near = order[bisect_left(starts, i - MAX_SPAN) : bisect_left(starts, j)]
        inside = [c for c in near if c.i < j and i < c.j]
        at_end = [c for c in inside if c.j == j]  # a bare suffix the rules split off (…行政审批|服务局)
        tail = key[max((c.j for c in inside), default=j) : j]  # or a stem and a suffix no rule read (行政审批局)
        if inside and all(i <= c.i and c.j <= j and (c.i, c.j) != (i, j) for c in inside) \
                and (office or all(c.type in _PARK_TYPES for c in inside if c not in at_end)) \
                and (all(c.generic or key[c.i : c.j] in SUFFIXES for c in at_end) if at_end
                     else office or len(tail) > 1 and tail not in SUFFIXES):
            out.append(Cand(i, j, t, at_end[0].how if at_end else "model"))  # the rules' pieces joined
    return out


def _pair_office(key: str, i: int, j: int) -> bool:
    """``key[i:j]`` is a party committee, a government and their office (深圳市委市政府督查室)."""
    m = _PARTY_AND_GOVERNMENT.match(key, i, j)
    return m is not None and bool(_OFFICE.fullmatch(key, m.end(), j))


def _pieces(key: str, toks: Tokens, c: Cand) -> list[Cand]:
    """The pieces of candidate ``c`` (:func:`unglued`): its own edges, the member before a glued verb, the two
    bodies of a party committee and a government written together; none when only a bare suffix word is left."""
    i = _left_edge(key, toks, c)
    out: list[Cand] = []
    glued = _glued_at(key, toks, i, c.j)
    if glued:
        last = toks.words[glued[-1]]
        end = _before_predicate(toks, i, glued[0])  # 小米集团|踊跃|加入联盟: the adverb is no part of the member
        if c.how == "model" and _names_alone(key, toks, i, end):
            sf = suffix_of(key[i:end])
            out.append(replace(c, i=i, j=end, type=SUFFIXES[sf] if sf else "Organization", bracket=0))
        i = last.end
    j = c.j
    if c.type in _PARK_TYPES and key.endswith(_BARE_PARK_WORDS, i, j):
        n = 2 if key.endswith("园区", i, j) else 1
        sf = suffix_of(key[i : j - n])
        if sf and SUFFIXES[sf] in _PARK_TYPES and j - n - i > len(sf):
            j, c = j - n, replace(c, type=SUFFIXES[sf], bracket=0)  # a bracket after it follows 园区, not the name
    pair = _party_and_government(key, toks, c, i, j)
    if pair is not None:
        return out + pair
    if _GOVERNMENT_AFTER.match(key, j) and re.fullmatch(_PARTY, key[i:j]):
        c = replace(c, type="PartyOrganization")  # 长春市委|、市政府: the committee of a pair
    if (i, j) == (c.i, c.j):
        return out + [c]
    past_verb = i == c.i + 1 and key[c.i - 1 : i] in BOUNDARY_WORDS  # 对接|洽洽…: no word of jieba's starts there
    if key[i:j] in SUFFIXES or j - i < 2 or not (past_verb or _names_alone(key, toks, i, j, bare_ok=True)):
        return out  # 视频祝贺|联盟: a bare 联盟 names nothing here (it refers back)
    return out + [replace(c, i=i, j=j)]


def _left_edge(key: str, toks: Tokens, c: Cand) -> int:
    """Where ``c`` starts: past a listed verb it starts inside (对接|洽洽…, jieba's 接洽), past a verb or set phrase its
    left edge is inside (提|高城南…: the model grew the name into 提高), unless the name read alone starts with a
    word that crosses the verb's end (对接|洽洽食品: 接洽 and 洽洽)."""
    w = toks.words[toks.index_at(c.i)]
    if c.i == w.start and w.pos == "v" and key[c.i - 1 : c.i + 1] in BOUNDARY_WORDS and c.i + 1 < c.j:
        return c.i + 1  # 对接|洽洽食品 read 对|接洽|洽: a rule's name starting inside a listed verb starts after it
    if c.i == w.start or w.pos not in _CLAUSE_POS:
        return c.i  # (inside a noun jieba glued a function character to the name's first one: 由|港深…, 有|神耀…)
    own = next(iter(words(key[c.i : c.j])), ("", ""))[0]
    return c.i if c.i + len(own) > w.end else w.end


def _glued_at(key: str, toks: Tokens, i: int, j: int) -> list[int]:
    """The glue words (:func:`_glue_word`) of ``key[i:j]`` when they end a name: what follows the last is a bare word
    that refers back (中国石化|加入|联盟) or a name that stands alone (四季青街道牵线|江干区工商联); a generic stem and
    a suffix after it are the name's own (深圳市行政审批|服务局, …人才引进|服务中心, …产业转移|示范区) unless a
    body, a place or a person is before the word, or nothing (积极响应|党建联盟党委). A party committee and a
    government stand alone (积极响应|省委省政府)."""
    k0 = toks.index_at(i)
    glued = [k for k in range(k0, toks.index_at(j - 1)) if _glue_word(toks, k, at_left=k == k0)]
    if not glued:
        return glued
    rest = toks.words[glued[-1]].end
    if key[rest:j] in ANAPHORS or _PARTY_AND_GOVERNMENT.match(key, rest, j) or _stands_alone(key, toks, rest, j):
        return glued
    before = toks.words[glued[0]].start
    return glued if before <= i or _names_apart(key, toks, i, before) else []


def _names_apart(key: str, toks: Tokens, i: int, j: int) -> bool:
    """``key[i:j]``, before a glue word, is a body, a place or a person of its own (成都高新区|代表|党建联盟,
    广西贺州市平桂区|组建|园区党建联盟, 火炬集团党委|下属|…), not the first words of one name (深圳市行政|审批|服务局).
    """
    sf = suffix_of(key[i:j])
    last = toks.words[toks.index_at(j - 1)]  # a person or a place's proper name (蔡群文, 中兴新村, 汉台)
    return is_place(key[i:j]) or last.pos.startswith(("nr", "ns")) or bool(sf) and j - i > len(sf)


def _stands_alone(key: str, toks: Tokens, i: int, j: int) -> bool:
    """``key[i:j]`` names a body of its own: it names one alone (:func:`_names_alone`) and a word before its suffix
    is distinctive (江干区|工商联, 木伦|工业区; not 服务|局, 伙伴|联盟)."""
    sf = suffix_of(key[i:j]) or ""
    stem = key[i : j - len(sf)]
    return bool(stem) and _names_alone(key, toks, i, j) and not all(is_generic_word(w, p) for w, p in words(stem))


def _before_predicate(toks: Tokens, i: int, k: int) -> int:
    """Where a member before word ``k`` ends: before the adverbs and verbs that end it (小米集团|踊跃|加入)."""
    while k > 0 and toks.words[k - 1].start > i and toks.words[k - 1].pos in _PREDICATE_POS \
            and toks.words[k - 1].text not in GENERIC_WORDS:
        k -= 1
    return toks.words[k].start


def _party_and_government(key: str, toks: Tokens, c: Cand, i: int, j: int) -> list[Cand] | None:
    """A party committee and a government written together at ``key[i:j]`` (深圳市委市政府, 长春市委、市政府), taken
    apart: two bodies, split before whatever word follows the pair, and a third when what follows the verbs, adverbs
    and set phrases after it names a body alone (乐山市委市政府|高度重视|岷江全球总商会); one body cut after the pair's
    own office when more follows it (深圳市委市政府督查室|与园区). None (the candidate's other rules decide) when no
    pair starts at ``i``, the pair ends inside a word, or its office ends the candidate (深圳市委市政府督查室,
    南山区委区政府办公室: one body). The government is named after the committee's place (乐山市政府; 市政府 as
    written is its alias)."""
    m = _PARTY_AND_GOVERNMENT.match(key, i, j)
    if m is None:
        return None
    if m.end() < j and m.end() not in toks.starts:
        return None
    if _OFFICE.fullmatch(key, m.end(), j):
        return None  # the office ends the candidate: one body (only inside the candidate)
    office = _OFFICE.match(key, m.end(), j)
    if office is not None and office.end() in toks.starts:  # …督查室|与园区: the body ends after its office
        return [replace(c, j=office.end(), type="GovernmentBody", generic=False, bracket=0)]
    rest = _after_predicate(toks, m.end(), j)
    out = [replace(c, i=i, j=m.end(1), type="PartyOrganization", generic=False, bracket=0),
           replace(c, i=m.start(2), j=m.end(), type="GovernmentBody", generic=False, bracket=0,
                   written=_government_named(m.group(1), m.group(2)))]
    return out + ([replace(c, i=rest)] if m.end() < rest < j and _names_alone(key, toks, rest, j) else [])


def _government_named(party: str, gov: str) -> str:
    """The name of a government written after its party committee (乐山市委|市政府: 乐山市政府), or "" when the
    committee names no place of the government's level."""
    place = party.removeprefix("中共")[:-1]  # 乐山市 of 乐山市委
    return place[:-1] + gov if len(place) > 1 and place[-1] == gov[0] else ""


def _after_predicate(toks: Tokens, i: int, j: int) -> int:
    """Where the name after a subject starts: past the verbs, adverbs and set phrases at ``i`` (before ``j``)."""
    k = toks.index_at(i) if i < j else None
    while k is not None and toks.words[k].end < j and toks.words[k].pos in _PREDICATE_POS \
            and toks.words[k].text not in GENERIC_WORDS:
        k += 1
    return toks.words[k].start if k is not None else j


_GLUED = re.compile(f"(?:{GLUE.pattern})+")  # 积极响应, 充分利用: jieba's one word for two of them


def _glue_word(toks: Tokens, k: int, at_left: bool) -> bool:
    """Word ``k`` glues a clause to a name: a verb that ends names on their left (加入, 成为), or one of
    :data:`~kg.extract.shortforms.GLUE` (牵线, 祝贺, 代表/n) that jieba did not read as a verb — a common noun right
    after a verb is that verb's (再生资源回收利用协会 is a name; 利用|木伦工业区 at a name's left edge is not)."""
    w = toks.words[k]
    if not w.is_letters() or len(w.text) < 2 or w.text in GENERIC_WORDS or w.text in TITLE_WORDS:
        return False  # 联合, 建设 make names (…工会联合总会, …化工建设公司); 兼 (兼合式党支部) is one character
    if w.text in BOUNDARY_WORDS and w.pos == "v" and toks.is_boundary(k):
        return True
    noun_of_verb = not at_left and w.pos == "n" and toks.words[k - 1].pos in _VERB_POS
    return _GLUED.fullmatch(w.text) is not None and not noun_of_verb


def _names_alone(key: str, toks: Tokens, i: int, j: int, bare_ok: bool = False) -> bool:
    """``key[i:j]`` can name a body by itself: whole words, not a place, a title or a person, and distinctive
    (``bare_ok``: or ending in a suffix, for the learned filter to weigh)."""
    if j - i < 2 or i not in toks.starts or j not in toks.ends or is_place(key[i:j]):
        return False
    ws = toks.span_words(i, j)
    if ws[-1].pos.startswith("nr") or any(w.text in TITLE_WORDS for w in ws):  # …教授王耀南: a person
        return False
    return not is_generic_name(ws) or bare_ok and suffix_of(key[i:j]) is not None
