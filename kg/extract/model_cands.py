"""Organization candidates from the statistical NER model (:mod:`kg.extract.ner`), boundaries checked.

The model runs once over every sentence key of an article (keys are already simplified and
width-folded, which is what it was trained on). It proposes ``org`` and ``company`` spans,
and ``location`` spans that end in a park word (…经开区, …产业园). Its left edges are often
glued to a verb or an adverb (助力宁德时代, 持续打造…产业园) and its right edges to a particle, so
those are cut; what is left must still look like a name. The rules in :mod:`kg.extract.orgs`
decide what wins where a rule candidate and a model span overlap.

Without numpy or the weights (the ``extract`` extra), or with ``KG_EXTRACT_MODEL=off``, the
model proposes nothing and extraction is the rules' alone.
"""

from __future__ import annotations

import os
import re

from kg.extract.document import Document
from kg.extract.lexicon import BOUNDARY_WORDS, GENERIC_WORDS, SUFFIXES, suffix_of

__all__ = ["model_spans", "model_enabled", "span_type"]

_NAME_START = re.compile(r"全|国|省|市|区|首|[一二三四五六七八九十两]|单位|理事|董事|总|秘书|局|书|院|校|会|主席|召集")
# words a model span may start with that are not part of the name: verbs, adverbs, prepositions
_LEADING = tuple(sorted(
    "助力 依托 打造 持续 推动 支持 联合 携手 引进 吸引 落户 入驻 加入 成立 组建 发起 牵头 来自 位于 包括 囊括 网罗 "
    "涵盖 "
    "以下简称 简称 下称 甫进驻 进驻 刚刚 以及 其中 目前 同时 此外 并 由 在 对 把 被 让 跟 据 从 到 等 了 该 其 "
    "首批 已 也 均 则 签约 签署 签订 走进 参观 调研 考察 服务 对接 合作".split(),
    # one character only where no name starts with it:
    # not 新 (新疆), 同 (同济), 现 (现代), 携 (携程), 暨 (暨南大学), 共 (共青团)
    key=len, reverse=True,
))
# and the verbs that end a rule name on its left (汇聚A、B ; 依托A建设): two characters or more, not the
# words a name may start with (全国…, 国内…, 首届…)
_LEADING = tuple(sorted(
    set(_LEADING) | {w for w in BOUNDARY_WORDS if len(w) > 1 and not _NAME_START.match(w)}, key=len, reverse=True
))


def _by_first(words: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """``words`` by their first character, each group in the order given."""
    out: dict[str, tuple[str, ...]] = {}
    for w in words:
        out[w[0]] = (*out.get(w[0], ()), w)
    return out


_LEADING_BY_FIRST = _by_first(_LEADING)  # a span's first character picks the few leading words to try
_TRAILING = ("等", "的", "了", "和", "与", "及")
_PARK_TYPES = frozenset({"IndustrialPark", "SciencePark"})
_NOT_NAME = re.compile(r"^[\d.%０-９]+$|^[a-z]$|[,;:!?。，；：、()]")
# what the model calls an organization but the graph does not: labs, teams, internal units, plants, meetings
_NOT_BODY_ENDS = (
    "实验室", "研究室", "联合研发中心", "团队", "秘书处", "办公室", "总部", "工厂", "厂", "车间", "基地", "项目",
    "大会", "会议", "论坛", "仪式", "活动", "峰会", "博览会", "展会", "大赛", "比赛",
)


def model_enabled() -> bool:
    """False when ``KG_EXTRACT_MODEL`` is ``off``/``0``/``no`` (the rules alone, e.g. to compare)."""
    return os.environ.get("KG_EXTRACT_MODEL", "on").lower() not in ("off", "0", "no", "false")


def span_type(name: str, label: str) -> str | None:
    """The class of a model span by its ending (…联盟 → Alliance),
    else by the model's label; None: not an organization."""
    suffix = suffix_of(name)
    if suffix is not None and len(name) > len(suffix):
        return SUFFIXES[suffix]
    if label == "company":
        return "Company"
    if label == "org":
        return "Organization"
    return None


def _trim(key: str, i: int, j: int) -> tuple[int, int]:
    changed = True
    while changed and j - i > 2:
        changed = False
        for w in _LEADING_BY_FIRST.get(key[i], ()):
            if key.startswith(w, i) and j - i - len(w) >= 2:
                i += len(w)
                changed = True
                break
    while j - i > 2 and key[j - 1] in _TRAILING:
        j -= 1
    return i, j


def model_spans(doc: Document) -> dict[int, list[tuple[int, int, str]]]:
    """Per sentence index, the model's organization spans ``(i, j, type)`` over the sentence key."""
    if not model_enabled() or not doc.sentences:
        return {}
    try:
        from kg.extract.ner import entities_many

        found = entities_many([s.key for s in doc.sentences])
    except (ImportError, OSError):  # no numpy or no weights: the rules alone
        return {}
    out: dict[int, list[tuple[int, int, str]]] = {}
    for s, spans in zip(doc.sentences, found):
        for sp in spans:
            if sp.label not in ("org", "company", "location"):
                continue
            i, j = _trim(s.key, sp.start, sp.end)
            name = s.key[i:j]
            t = span_type(name, sp.label)
            if t is None or (sp.label == "location" and t not in _PARK_TYPES):
                continue
            listed = s.key[i - 1 : i] == "、" or s.key[j : j + 1] == "、"
            if len(name) < (2 if listed or t not in ("Organization", "Company") else 3):
                continue  # a two-character “organization” outside a list is mostly a place or a word (市府, 磁钢)
            if t in ("Organization", "Company") and any(c in name[1:-1] for c in "与和及暨"):
                continue  # two names the model ran together (安泽基因与工研院生医所)
            if name in GENERIC_WORDS or name in SUFFIXES or _NOT_NAME.search(name) or name.endswith(_NOT_BODY_ENDS):
                continue
            out.setdefault(s.index, []).append((i, j, t))
    return out
