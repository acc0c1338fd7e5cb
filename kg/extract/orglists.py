"""The items of a 、 list beside a name found whole (云帆数据、星河网校等 beside 南岭化工有限公司), offered to the
learned filter (:mod:`~kg.extract.orgfilter`) as names of their own."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from kg.extract.document import Document
from kg.extract.entities import Ent, Mention
from kg.extract.lexicon import SUFFIXES, suffix_of

__all__ = ["covered_places", "list_siblings"]


def covered_places(key: str, taken: Iterable[Mention]) -> bytearray:
    """1 at each place of ``key`` a mention ``taken`` covers (an empty mention covers its place), else 0."""
    cover = bytearray(len(key) + 1)
    for m in taken:
        cover[m.i : max(m.j, m.i + 1)] = b"\x01" * (max(m.j, m.i + 1) - m.i)
    return cover


_LIST_ITEM = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·]{2,12}")
_LAST_ITEM = re.compile(r"(?:(?!等)[\u4e00-\u9fffA-Za-z0-9·]){4,12}(?=等|[^\u4e00-\u9fffA-Za-z0-9·、]|$)")  # 和|C等
# what closes a list of things that are no organizations: 锂电池、光伏组件等产品, 长三角、珠三角等地区 — but not
# a kind word an organization noun follows within the phrase (等产业联盟, 等行业协会, 等领域龙头企业)
_NOT_ORGS = re.compile(r"等(?:[\d一二三四五六七八九十百千几多余]+[个款项种类件座]?)?(?:重点|主要|优势|新兴|核心)?"
                       r"(?:产品|技术|项目|设备|装备|材料|城市|地区|区域|国家|省份|领域|行业|产业|品牌|业务|服务)"
                       r"(?!(?:(?![的和与及])[\u4e00-\u9fff]){0,8}?(?:企业|公司|单位|机构|协会|商会|联盟|学会|组织|成员|集团))")
_ITEM_NOT = re.compile(r"\d{2}|等|[的了是在将]")
_SHORT_LAST = re.compile(r"(?:(?!等)[\u4e00-\u9fffA-Za-z0-9·]){2,3}(?=等|[^\u4e00-\u9fffA-Za-z0-9·、]|$)")


def _word_char(c: str) -> bool:
    """A character a list item is made of (a letter, a digit, the middle dot of 卡·欧); not "" (the key's end)."""
    return c == "·" or c.isalnum()


def _list_runs(key: str) -> list[list[tuple[int, int]]]:
    """The 、 lists of a sentence key as runs of items ``(i, j)``: an item is 2–12 word characters between 、
    (the first one after punctuation or the sentence's start, the last one before 等 or punctuation, after 和, 与,
    及 or 以及 when one of them ends the item before it)."""
    runs: list[list[tuple[int, int]]] = []
    p = key.find("、")
    while p >= 0:
        i = p
        while i > 0 and _word_char(key[i - 1]) and p - i < 12:
            i -= 1
        run = [(i, p)] if i == 0 or not _word_char(key[i - 1]) else []
        j = p
        while j < len(key) and key[j] == "、":
            end = _item_end(key, j + 1)
            if end is None:
                break
            run.append((j + 1, end))
            j = end
        joint = 2 if key.startswith("以及", j) else 1 if key.startswith(("和", "与", "及"), j) else 0
        last = joint and (_LAST_ITEM.match(key, j + joint) or _SHORT_LAST.match(key, j + joint))
        if last and (key.startswith("等", last.end()) or suffix_of(last.group())):  # …、中兴和联想等; not …与园区签约
            run.append((j + joint, last.end()))
            j = last.end()
        runs.append([(a, b) for a, b in run if b - a >= 2])
        p = key.find("、", j + 1) if j < len(key) else -1
    return runs


def _item_end(key: str, i: int) -> int | None:
    """Where the list item starting at ``i`` ends: at a real separator — the sentence's end, 、, 等, punctuation, or
    和 / 与 / 及 / 以及 before the list's last item of 4 characters or more (中国平和科技、…, 北京协和医院等 are one
    item), or before a shorter one when the joint is a word of its own (中兴|和|联想, not 北京协和医院) — within 12
    characters; None when there is none (an item cut short would name nothing)."""
    m = _LIST_ITEM.match(key, i)
    if m is None:
        return None
    for q in range(i + 2, m.end() + 1):
        c = key[q : q + 1]
        if c in "、等" or not _word_char(c):
            return q
        joint = 2 if key.startswith("以及", q) else 1 if c in "和与及" else 0
        if joint and (_LAST_ITEM.match(key, q + joint) or _joins_short(key, i, q, joint)):
            return q
    return None


def _joins_short(key: str, i: int, q: int, joint: int) -> bool:
    """True when the joint at ``q`` (after the item starting at ``i``) is a word of its own before a last item of
    2–3 characters: jieba reads 中兴|和|联想 but 北京协和医院, 中国|平和|科技."""
    from kg.extract.segment import words

    last = _SHORT_LAST.match(key, q + joint)
    if last is None:
        return False
    at = 0
    for w, _ in words(key[i : last.end()]):
        if at >= q - i:
            return at == q - i and w == key[q : q + joint]
        at += len(w)
    return False


def list_siblings(doc: Document, named: Mapping[int, list[Mention]], taken: Mapping[int, list[Mention]],
                  known: set[str]) -> list[Ent]:
    """The items of a 、 list where another item is ``named`` whole (云帆数据、星河网校等 beside a found
    南岭化工有限公司) that no mention ``taken`` overlaps, as entities of their own — one per name not in ``known`` —
    for the filter to weigh (how ``sibling``: typed as the named items when they agree)."""
    out: dict[str, Ent] = {}
    for s in doc.sentences:
        ms = named.get(s.index)
        if not ms or "、" not in s.key:
            continue
        whole = {(m.i, m.j): m.ent.type for m in ms if m.ent.is_org}
        cover = covered_places(s.key, taken.get(s.index, ()))
        for run in _list_runs(s.key):
            types = {whole[x] for x in run if x in whole}
            if not types or _NOT_ORGS.match(s.key, run[-1][1]):
                continue
            typ = types.pop() if len(types) == 1 else "Organization"
            for a, b in run:
                k = s.key[a:b]
                if 1 in cover[a:b] or k in known or k in SUFFIXES or _ITEM_NOT.search(k):
                    continue
                sf = suffix_of(k)
                e = out.get(k)
                if e is None:
                    e = out[k] = Ent(doc.name(*s.span(a, b)), SUFFIXES[sf] if sf else typ, "sibling")
                e.mentions.append(Mention(s.index, a, b, e, "sibling"))
    return list(out.values())
