"""Other boundaries of a found organization name, for the learned filter (:mod:`~kg.extract.orgfilter`) to score.

A rule's left edge may hold a verb, a descriptor or a parent body (助力|…, 园区|…孵化中心,
…领域之|…有限公司); its right edge may stop before a unit (经济部|商业发展署, 基地|处). Each
name is offered with its leading words cut off one at a time, with the next one to three words
of the text when they end in an organization suffix, and with the statistical model's boundaries
where its span overlaps the name; the filter keeps the most probable one. A name whose words cut
off leave a bare 联盟 / 协会 … (大力支持|联盟) is offered as that word: a reference back to the body of
its kind the article names, which the filter joins it to.
An alternative is described by features of what it cuts or adds (the part of speech of the cut
word, whether the cut part is itself a name, how often the shorter name stands alone in the text).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from kg.extract.document import Document
from kg.extract.entities import Ent, Mention
from kg.extract.lexicon import BOUNDARY_WORDS, COUNT, SUFFIXES, TITLE_WORDS, suffix_of
from kg.extract.orglists import covered_places
from kg.extract.references import ANAPHORS
from kg.extract.shortforms import GLUE

__all__ = ["MAX_SPAN", "Alt", "Index", "alternatives", "apply_alternative", "bucket", "char_class", "orphans",
           "paired_with_china"]

_CONTEXT_CHARS = frozenset("、,;:。()与和及暨在由对把被将向从为等的了是年月日之原")
_MAX_EXTENSION_WORDS = 3
MAX_SPAN = 40  # key characters: no organization span is longer (:data:`kg.extract.tokens.MAX_NAME` is 32)
_COUNTED = re.compile(f"{COUNT}|首")  # 首个园区…: a count is not part of a name


class Index:
    """What scoring every name of an article looks up, built once so that each look-up is short: the sentence keys,
    the model's spans by start, which entity covers each position, the names and their prefixes and suffixes,
    where the sentences' words end and the words of each mention."""

    def __init__(self, keys: Mapping[int, str], extra: Mapping[int, list], ents: list[Ent],
                 by_sentence: Mapping[int, list[Mention]], word_ends: Mapping[int, bytes] | None = None,
                 span_words: Mapping[tuple[int, int, int], tuple] | None = None):
        self.keys = keys
        self.span_words = span_words or {}
        self.word_ends = word_ends or {}  # per sentence, 1 where one of its words ends
        self.spans = {s: sorted(v) for s, v in extra.items()}
        self.starts = {s: [x[0] for x in v] for s, v in self.spans.items()}
        self.cover: dict[int, dict[int, list[Ent]]] = {}
        for s, ms in by_sentence.items():
            at = self.cover[s] = {}
            for m in ms:
                for p in range(m.i, min(m.j, m.i + MAX_SPAN)):
                    at.setdefault(p, []).append(m.ent)
        self.mentions = {e.key: len(e.mentions) for e in ents}
        self._at: dict[str, array] | None = None  # where each pair of characters is in the keys joined (built on use)
        self.visits = 0  # the places :meth:`written` looked at, over all its look-ups
        self._text = ""
        self._written: dict[str, tuple[int, int]] = {}
        self.affixes: dict[str, int] = {}  # proper prefixes and suffixes of the names: of how many names
        for e in ents:
            k = e.key[:MAX_SPAN]
            for a in {k[:n] for n in range(1, len(k))} | {k[n:] for n in range(1, len(k))}:
                self.affixes[a] = self.affixes.get(a, 0) + 1

    def in_other(self, k: str, own: str) -> bool:
        """True when ``k`` starts or ends a name other than ``own`` (the name ``k`` was cut from)."""
        n = self.affixes.get(k, 0)
        return n > (1 if k != own and (own.startswith(k) or own.endswith(k)) else 0)

    def words_of(self, e: Ent) -> tuple[tuple[str, str], ...] | None:
        """The words of ``e``'s first mention as its sentence was cut (None when not known)."""
        m = e.mentions[0]
        ws = self.span_words.get((m.sent, m.i, m.j))
        return ws if ws and "".join(w for w, _ in ws) == e.key else None

    def overlapping(self, sent: int, i: int, j: int) -> list[tuple[int, int, str, str]]:
        """The model's and bylines' spans ``(a, b, type, how)`` overlapping ``[i, j)`` of sentence ``sent``."""
        spans = self.spans.get(sent)
        if not spans:
            return []
        n = bisect_left(self.starts[sent], i - MAX_SPAN)
        out = []
        while n < len(spans) and spans[n][0] < j:
            if spans[n][1] > i:
                out.append(spans[n])
            n += 1
        return out

    def covered_by_other(self, e: Ent, sent: int, a: int, b: int) -> bool:
        at = self.cover.get(sent, {})
        return any(x is not e for p in range(a, b) for x in at.get(p, ()))

    def written(self, k: str) -> tuple[int, int]:
        """How often the article writes ``k`` (its own mentions too), and how often with nothing of a word on either
        side (a sentence's edge or punctuation: 、A、, “A”): the boundary the same string takes elsewhere. Each look-up
        visits only the places of ``k``'s rarest pair of characters (a name's rarest single character may be shared
        by every name of a long list: 有, 公 …; its rarest pair seldom is)."""
        got = self._written.get(k)
        if got is not None or not k:
            return got or (0, 0)
        if self._at is None:
            self._text = text = "\n".join(self.keys.values())  # a sentence's edge is an edge
            self._at = {}
            for p in range(len(text)):
                self._at.setdefault(text[p : p + 2], array("i")).append(p)  # each pair of characters
        text, at = self._text, self._at
        if len(k) == 1:
            places, off = [mt.start() for mt in re.finditer(re.escape(k), text)], 0  # never a name: seldom asked
        else:
            off = min(range(len(k) - 1), key=lambda o: len(at.get(k[o : o + 2], ())))
            places = at.get(k[off : off + 2], ())
        n = alone = 0
        self.visits += len(places)
        for p in places:
            a = p - off
            if a >= 0 and text.startswith(k, a):
                n += 1
                alone += _edge(text[a - 1 : a]) and _edge(text[a + len(k) : a + len(k) + 1])
        self._written[k] = (n, alone)
        return n, alone

    def holds_name(self, k: str) -> bool:
        """True when a proper prefix or suffix of ``k`` is another name."""
        return any(k[:n] in self.mentions or k[n:] in self.mentions for n in range(1, min(len(k), MAX_SPAN)))


@dataclass(frozen=True)
class Alt:
    """A boundary other than the one found: ``di`` characters cut off the left, ``dj`` added on the right."""

    key: str
    di: int
    dj: int
    features: Mapping[str, float]
    words: tuple[tuple[str, str], ...] | None = None  # its words with their parts of speech, when known
    left: str | None = None  # the part of speech of the word before it, when known


def _edge(ch: str) -> bool:
    """True for what stands beside a name written on its own: nothing (a sentence's edge) or punctuation."""
    return not ch or not (ch.isalnum() or "\u4e00" <= ch <= "\u9fff")


def char_class(ch: str) -> str:
    """A context character as a feature value: punctuation and function characters as themselves, else a class."""
    if not ch:
        return "edge"
    if ch in _CONTEXT_CHARS:
        return ch
    if ch.isdigit():
        return "digit"
    if ch.isascii():
        return "ascii"
    return "han" if "\u4e00" <= ch <= "\u9fff" else "other"


@lru_cache(maxsize=4096)  # the same few lengths and counts, for every name and boundary scored
def bucket(n: int, edges: tuple[int, ...]) -> str:
    """``n`` as the first of ``edges`` it does not exceed (``>last`` beyond).

    The bin names are feature names in models/orgs.json: pairfeatures.bucket (``<=4``) and figfilter's (``≤4``) name
    theirs differently in their own weights, so one shared helper would mean retraining all three."""
    return str(next((e for e in edges if n <= e), f">{edges[-1]}"))


def _same_mentions(e: Ent, keys: Mapping[int, str]):
    m0 = e.mentions[0]
    k0 = keys[m0.sent][m0.i : m0.j]
    return k0, [m for m in e.mentions if keys[m.sent][m.i : m.j] == k0]


def _trims(e: Ent, k0: str, ix: Index) -> list[Alt]:
    from kg.extract.segment import words

    ws = ix.words_of(e) if k0 == e.key else None
    ws = ws or words(k0)
    out: list[Alt] = []
    pos = 0
    for n, (w, tag) in enumerate(ws[:-1]):
        pos += len(w)
        rest = k0[pos:]
        bare = rest in SUFFIXES  # 大力支持|联盟: a bare 联盟 refers back to a body the article names
        if len(rest) < 2 or bare and rest not in ANAPHORS:
            break
        cut = k0[:pos]
        f = {"alt=bare" if bare else "alt=trim": 1.0, "cut_words=" + bucket(n + 1, (1, 2, 3)): 1.0,
             "cut_pos=" + tag[:2]: 1.0, "cut_pos0=" + ws[0][1][:2]: 1.0, "cut_last=" + char_class(cut[-1]): 1.0,
             "alone=" + bucket(ix.mentions.get(rest, 0), (0, 1, 3)): 1.0}
        if GLUE.search(cut):
            f["cut_glue"] = 1.0  # 全球封测龙头|日月光集团: what is cut holds a verb or a title
        if any(w in BOUNDARY_WORDS or w in TITLE_WORDS for w, _ in ws[: n + 1]):
            f["cut_boundary"] = 1.0  # 积极|响应…, 齐聚|…: a word that ends names on their left
        sf = suffix_of(cut)
        if sf and len(cut) > len(sf):
            f["cut_is_name=" + SUFFIXES[sf]] = 1.0
        if bare:  # weighed apart from the cuts that leave a name: 偏转|光电 is no 大力支持|联盟
            out.append(Alt(rest, pos, 0, {("alt=bare" if k == "alt=bare" else "bare_" + k): v for k, v in f.items()},
                           ws[n + 1 :], tag[:2]))
            break
        out.append(Alt(rest, pos, 0, f, ws[n + 1 :], tag[:2]))
    return out


def _extensions(e: Ent, k0: str, same, ix: Index) -> list[Alt]:
    """``e``'s name with the one to three words after it (where the sentence's words end) when they end in a
    suffix, at every mention written the same way."""
    m0, keys = same[0], ix.keys
    key, ends = keys[m0.sent], ix.word_ends.get(m0.sent, b"")
    out: list[Alt] = []
    n = 0
    for p in range(m0.j + 1, min(len(key), m0.j + 12) + 1):
        if p >= len(ends) or not ends[p]:
            continue
        ext = key[m0.j : p]
        if not all("\u4e00" <= c <= "\u9fff" or c.isalnum() for c in ext):
            break
        n += 1
        if n > _MAX_EXTENSION_WORDS:
            break
        sf = suffix_of(ext)
        if sf is None or not all(keys[m.sent].startswith(ext, m.j) for m in same) \
                or ix.covered_by_other(e, m0.sent, m0.j, p):
            continue
        f = {"alt=ext": 1.0, "ext_words=" + str(n): 1.0, "ext_type=" + SUFFIXES[sf]: 1.0,
             f"ext_from={e.type}": 1.0, "ext_whole_suffix": float(sf == ext)}
        out.append(Alt(k0 + ext, 0, len(ext), f))
    return out


def _model_spans(e: Ent, ix: Index) -> list[Alt]:
    """The model's spans over a mention of ``e`` with other boundaries, overlapping no other entity's mention and
    adding no count (首个…) on the left."""
    out: dict[str, Alt] = {}
    for m in e.mentions[:8]:
        for a, b, t, how in ix.overlapping(m.sent, m.i, m.j):
            if how != "model" or (a, b) == (m.i, m.j) or b - a < 2:
                continue
            k = ix.keys[m.sent][a:b]
            if ix.covered_by_other(e, m.sent, a, b) or a < m.i and _COUNTED.search(k[: m.i - a]) or k in out \
                    or k in SUFFIXES:  # a bare 光电 names nothing
                continue
            lies = "longer" if a <= m.i and b >= m.j else "shorter" if a >= m.i and b <= m.j else "shifted"
            f = {"alt=model": 1.0, "model_type=" + t: 1.0, "model_left=" + bucket(abs(a - m.i), (0, 1, 2, 4)): 1.0,
                 "model_right=" + bucket(abs(b - m.j), (0, 1, 2, 4)): 1.0, "model_" + lies: 1.0}
            out[k] = Alt(k, a - m.i, b - m.j, f)
    return list(out.values())


def alternatives(e: Ent, ix: Index) -> list[Alt]:
    """The other boundaries of ``e``'s name: at its first mention (and wherever it is written the same way) cut
    or extended by words; and the model's spans over any of its mentions."""
    k0, same = _same_mentions(e, ix.keys)
    if not k0 or e.how == "byline":  # a byline's name is bounded by the byline's own pattern
        return []
    return _trims(e, k0, ix) + _extensions(e, k0, same, ix) + _model_spans(e, ix)


_CHINA_AND = re.compile("中国[—–-]$")


def paired_with_china(e: Ent, keys: Mapping[int, str]) -> Alt | None:
    """``e``'s name with the 中国— before each of its mentions in the sentence ``keys`` (中国—|上海合作组织产业园区联盟,
    中国—|东盟…: the pair of parties names the body; the filter may have cut it off as a place), else None — also
    when the mentions write it differently (中国—X here, 中国-X there): the alternative would move only those written
    as the first is, and they would leave the name."""
    if not e.mentions or not all(_CHINA_AND.search(keys.get(m.sent, ""), max(0, m.i - 3), m.i) for m in e.mentions):
        return None
    written = {keys[m.sent][m.i - 3 : m.j] for m in e.mentions}
    return Alt(written.pop(), -3, 0, {}) if len(written) == 1 else None


def apply_alternative(e: Ent, alt: Alt, doc: Document, keys: Mapping[int, str], by_key: dict[str, Ent]) -> Ent | None:
    """Move the mentions of ``e`` that ``alt``'s boundary fits to it: ``e`` is renamed when all of them move, else
    the moved ones name a new entity; when another entity already has that name, they go to that one. Returns the
    new entity (None when there is none)."""
    moved = [m for m in e.mentions if keys[m.sent][m.i + alt.di : m.j + alt.dj] == alt.key]
    if not moved:
        return None
    for m in moved:
        m.i += alt.di
        m.j += alt.dj
    s = doc.sentences[moved[0].sent]
    name = doc.name(*s.span(moved[0].i, moved[0].j))
    sf = suffix_of(alt.key)
    typ = SUFFIXES[sf] if sf and len(alt.key) > len(sf) else e.type
    target = by_key.get(alt.key)
    if target is None:
        if len(moved) == len(e.mentions):
            by_key.pop(e.key, None)
            e.name, e.type = name, typ
            e.__dict__.pop("key", None)  # a cached property
            by_key[e.key] = e
            return None
        target = by_key[alt.key] = Ent(name, typ, e.how)
        new = target
    else:
        new = None
    ids = {id(m) for m in moved}
    e.mentions = [m for m in e.mentions if id(m) not in ids]
    for m in moved:
        m.ent = target
    target.mentions = sorted(target.mentions + moved, key=lambda m: (m.sent, m.i))
    return new


def orphans(doc: Document, extra: Mapping[int, list], taken: Mapping[int, list[Mention]],
            known: set[str]) -> list[Ent]:
    """The model's spans that overlap no mention ``taken`` (the rule candidate that hid them was dropped later), as
    entities of their own — one per name not in ``known`` — for the filter to weigh."""
    out: dict[str, Ent] = {}
    for s in doc.sentences:
        spans = extra.get(s.index, ())
        if not spans:
            continue
        cover = covered_places(s.key, taken.get(s.index, ()))
        for a, b, t, how in spans:
            if how != "model" or 1 in cover[a:b]:
                continue
            k = s.key[a:b]
            if k in known:
                continue
            e = out.get(k)
            if e is None:
                e = out[k] = Ent(doc.name(*s.span(a, b)), t, "model")
            e.mentions.append(Mention(s.index, a, b, e, "model"))
    return list(out.values())
