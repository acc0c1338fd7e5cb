"""Names inside names: the body a party body is named after (X有限公司|党支部), a bracket after a name (X局(Y局)),
a person's title inside a name (…商会会长|X|代表|商会), a place that is no body (全旺镇), and names glued to what
surrounds them (中国石化|加入|联盟, 深圳市委|市政府, …科技园|园区)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from kg.extract.lexicon import BOUNDARY_WORDS, GENERIC_WORDS, ORG_TYPES, PLACE_NAMES, SUFFIXES, TITLE_WORDS, suffix_of
from kg.extract.orgbounds import GLUE
from kg.extract.tokens import is_generic_name

if TYPE_CHECKING:
    from kg.extract.orgspans import Cand

__all__ = ["over_brackets", "outside_brackets", "party_parents", "after_titles", "is_place", "unglued", "unglued_spans"]

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
_LEVEL = "[省市区县州旗盟镇乡]"
_PARTY_AND_GOVERNMENT = re.compile(rf"([\u4e00-\u9fff]{{0,12}}?{_LEVEL}委)、?({_LEVEL}(?:人民)?政府)")
_GOVERNMENT_AFTER = re.compile(rf"、?{_LEVEL}(?:人民)?政府")
_PARK_TYPES = frozenset({"IndustrialPark", "SciencePark"})
_BARE_PARK_WORDS = ("园区", "园")  # 上海天华信息科技园|园区: a generic word after a park's own name
_NO_PIECES = frozenset({"known", "byline", "lexicon", "chain"})  # names whose edges another source vouches for
_CLAUSE_POS = ("v", "i", "l")  # verbs and set phrases (提高, 进一步提高)
_PREDICATE_POS = (*_CLAUSE_POS, "d", "ad", "a")  # and adverbs (高度重视, 积极)


def unglued(key: str, toks, cands: list[Cand]) -> list[Cand]:
    """``cands`` with names glued to what surrounds them taken apart (``toks``: the sentence's words):

    - a party committee and a government written together (深圳市委市政府) are two bodies;
    - a left edge inside a word (提|高城南物流产业园: the model grew the name into 提高) moves to the word's end;
    - a verb the word lists know (:data:`~kg.extract.lexicon.BOUNDARY_WORDS`, :data:`~kg.extract.orgbounds.GLUE`)
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
    return out


def unglued_spans(key: str, toks, spans: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """The statistical model's spans ``(i, j, type, how)`` of a sentence taken apart as :func:`unglued` takes
    candidates apart, so that every pass that reads them (the candidates, the filter's other boundaries, the spans
    no rule took) reads the same pieces."""
    if not spans:
        return spans
    from kg.extract.orgspans import Cand

    out = []
    for i, j, t, how in spans:
        if how == "model":
            out += [(c.i, c.j, c.type, how) for c in unglued(key, toks, [Cand(i, j, t, how)])]
        else:
            out.append((i, j, t, how))
    return out


def _pieces(key: str, toks, c: Cand) -> list[Cand]:
    i, w = c.i, toks.words[toks.index_at(c.i)]
    if i != w.start and w.pos.startswith(_CLAUSE_POS):  # the left edge inside a verb (提|高): the name starts after it
        i = w.end  # (inside a noun jieba glued a function character to the name's first one: 由|港深…, 有|神耀…)
    glued = [k for k in range(toks.index_at(i), toks.index_at(c.j - 1)) if _glue_word(toks, k)]
    if glued and c.j - toks.words[glued[-1]].end < 2:
        glued = []  # 行政审批|局: a verb before a one-character suffix word is the body's own word
    out: list[Cand] = []
    if glued:
        first, last = toks.words[glued[0]], toks.words[glued[-1]]
        if c.how == "model" and _names_alone(key, toks, c.i, first.start):
            sf = suffix_of(key[c.i : first.start])
            out.append(replace(c, j=first.start, type=SUFFIXES[sf] if sf else "Organization", bracket=0))
        i = last.end
    j = c.j
    if c.type in _PARK_TYPES and key.endswith(_BARE_PARK_WORDS, i, j):
        n = 2 if key.endswith("园区", i, j) else 1
        sf = suffix_of(key[i : j - n])
        if sf and SUFFIXES[sf] in _PARK_TYPES and j - n - i > len(sf):
            j, c = j - n, replace(c, type=SUFFIXES[sf], bracket=0)  # a bracket after it follows 园区, not the name
    m = _PARTY_AND_GOVERNMENT.match(key, i, j)
    if m and (m.end() == j or m.end() in toks.starts):
        out += [replace(c, i=i, j=m.end(1), type="PartyOrganization", generic=False, bracket=0),
                replace(c, i=m.start(2), j=m.end(), type="GovernmentBody", generic=False, bracket=0)]
        rest = _after_predicate(toks, m.end(), j)  # 乐山市委市政府|高度重视|乐山全球总商会: the pair is a subject
        return out + ([replace(c, i=rest)] if rest < j and _names_alone(key, toks, rest, j) else [])
    if _GOVERNMENT_AFTER.match(key, j) and _PARTY_AND_GOVERNMENT.fullmatch(key[i:j] + "市政府"):
        c = replace(c, type="PartyOrganization")  # 长春市委|、市政府: the committee of a pair
    if (i, j) == (c.i, c.j):
        return out + [c]
    if key[i:j] in SUFFIXES or j - i < 2 or not _names_alone(key, toks, i, j, bare_ok=True):
        return out  # 视频祝贺|联盟: a bare 联盟 names nothing here (it refers back)
    return out + [replace(c, i=i, j=j)]


def _after_predicate(toks, i: int, j: int) -> int:
    """Where the name after a subject starts: past the verbs, adverbs and set phrases at ``i`` (before ``j``)."""
    k = toks.index_at(i) if i < j else None
    while k is not None and toks.words[k].end < j and toks.words[k].pos.startswith(_PREDICATE_POS) \
            and toks.words[k].text not in GENERIC_WORDS:
        k += 1
    return toks.words[k].start if k is not None else j


_GLUED = re.compile(f"(?:{GLUE.pattern})+")  # 积极响应, 充分利用: jieba's one word for two of them


def _glue_word(toks, k: int) -> bool:
    """Word ``k`` glues a clause to a name: a verb that ends names on their left (加入, 成为), or one of
    :data:`~kg.extract.orgbounds.GLUE` (利用, 牵线, 祝贺) that jieba did not read as a verb."""
    w = toks.words[k]
    if not w.is_letters() or len(w.text) < 2 or w.text in GENERIC_WORDS or w.text in TITLE_WORDS:
        return False  # 联合, 建设 make names (…工会联合总会, …化工建设公司); 兼 (兼合式党支部) is one character
    return w.text in BOUNDARY_WORDS and w.pos == "v" and toks.is_boundary(k) or _GLUED.fullmatch(w.text) is not None


def _names_alone(key: str, toks, i: int, j: int, bare_ok: bool = False) -> bool:
    """``key[i:j]`` can name a body by itself: whole words, not a place, a title or a person, and distinctive
    (``bare_ok``: or ending in a suffix, for the learned filter to weigh)."""
    if j - i < 2 or i not in toks.starts or j not in toks.ends or is_place(key[i:j]):
        return False
    ws = toks.span_words(i, j)
    if ws[-1].pos.startswith("nr") or any(w.text in TITLE_WORDS for w in ws):  # …教授王耀南: a person
        return False
    return not is_generic_name(ws) or bare_ok and suffix_of(key[i:j]) is not None
