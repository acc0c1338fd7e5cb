"""Names inside names: the body a party body is named after (X有限公司|党支部), a bracket after a name (X局(Y局)),
a person's title inside a name (…商会会长|X|代表|商会), a place that is no body (全旺镇)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.extract.lexicon import ORG_TYPES, PLACE_NAMES, SUFFIXES, TITLE_WORDS, suffix_of

if TYPE_CHECKING:
    from kg.extract.orgspans import Cand

__all__ = ["over_brackets", "outside_brackets", "party_parents", "after_titles", "is_place"]

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
