"""An article ready for the rules: normalized text, sentences, and their match keys with offsets.

Rules run on each sentence's *key* (:func:`kg.text.match_key`: width folded, quotation
marks and spaces dropped, traditional folded to simplified), so “紅領寧商”黨建共同體 and
红领宁商党建共同体 look the same to them. Every key span maps back to a span of the
normalized text (:func:`kg.text.normalize`), which is what quotes and offsets are cut from:
a traditional article is quoted in traditional characters.
"""

from __future__ import annotations

import bisect
import re
import statistics
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.text import match_key_with_offsets, normalize_with_offsets

__all__ = ["Document", "Sentence", "QUOTE_MARKS", "MAX_EVIDENCE", "MAX_RUN", "MAX_SENTENCE", "pieces"]

QUOTE_MARKS = frozenset("“”‘’\"'「」『』〝〞＂＇")
_SENTENCE_END = re.compile(r"[。！？；!?;]+|\n\n+")
# key characters a statement's or a figure's evidence spans at most (the longest in the annotated texts: 157)
MAX_EVIDENCE = 200
# characters without any punctuation or space: a longer run is no sentence (OCR that lost its punctuation)
MAX_RUN = 500
_LONG_RUN = re.compile(r"[^\W_]{%d,}" % (MAX_RUN + 1))
# characters: a longer sentence is cut at its clause marks where they allow (no annotated one is over 260)
MAX_SENTENCE = 1000
_ENUMERATION = 200  # a clause this long is an enumeration (A、B、…): it stays with the clauses either side of it
_CLAUSE_MARK = re.compile(r"[,;:，；：]")


def _run_cuts(text: str) -> list[int]:
    """Where runs of more than :data:`MAX_RUN` characters with no punctuation are cut into sentences of at most
    that many: before a 的 in the last fifth of each window (it ends no name), else at the window's end."""
    cuts = []
    for m in _LONG_RUN.finditer(text):
        pos = m.start()
        while m.end() - pos > MAX_RUN:
            de = text.rfind("的", pos + MAX_RUN * 4 // 5, pos + MAX_RUN)
            pos = de if de > pos else pos + MAX_RUN
            cuts.append(pos)
    return cuts


def _headline_ends(raw: str, raw_offsets: Sequence[int]) -> list[int]:
    """Normalized-text positions where a headline ends: a short line alone between blank lines.

    Normalization joins a blank line between two Chinese characters (an OCR column break),
    which would run a headline into the first sentence; the extraction cuts it off again.
    """
    out = []
    lines = raw.split("\n")
    pos = 0
    for n, line in enumerate(lines):
        end = pos + len(line)
        alone = (n == 0 or not lines[n - 1].strip()) and n + 1 < len(lines) and not lines[n + 1].strip()
        t = line.strip()
        if alone and 0 < len(t) <= 40 and t[-1] not in "。！？；，、,.;!?":
            i = bisect.bisect_left(raw_offsets, end)
            if 0 < i < len(raw_offsets):
                out.append(i)
        pos = end + 1
    return out


# characters normalized at a time: normalize_with_offsets holds some 250 bytes a character while it works
_CHUNK = 1 << 18
_BETWEEN_IDEOGRAPHS = re.compile(r"[\u4e00-\u9fff](?=[\u4e00-\u9fff])")


def pieces(raw: str, chunk: int = _CHUNK) -> list[tuple[int, int]]:
    """``raw`` cut into pieces of about ``chunk`` characters, each ending between two ideographs: no whitespace
    run, line, page code or inserted pinyin reading spans such a cut, so normalizing a piece at a time (or taking
    its match key) gives exactly what the whole gives, in memory bounded by the piece."""
    out, start = [], 0
    while start < len(raw):
        cut = _BETWEEN_IDEOGRAPHS.search(raw, start + chunk) if len(raw) - start > chunk else None
        end = cut.end() if cut else len(raw)
        out.append((start, end))
        start = end
    return out


def _normalize(raw: str, chunk: int = _CHUNK) -> tuple[str, array]:
    """:func:`kg.text.normalize_with_offsets` of ``raw``, a piece at a time (:func:`pieces`)."""
    texts: list[str] = []
    offsets = array("i")
    for start, end in pieces(raw, chunk):
        text, offs = normalize_with_offsets(raw[start:end])
        texts.append(text)
        offsets.extend(start + o for o in offs)
    return "".join(texts), offsets


def _clause_cuts(text: str, start: int, end: int) -> list[int]:
    """Where the sentence ``[start, end)`` is cut after a clause mark, each piece at most :data:`MAX_SENTENCE`
    long where the marks allow: the rules read a sentence as a whole, and text whose every mark is a comma read
    as one sentence linked every name to every other. Never next to an enumeration, which keeps the words that
    introduce it (…吸纳以下企业：A、B、…) and those that follow it (…，共同发起成立Y)."""
    bounds = [start, *(m.end() for m in _CLAUSE_MARK.finditer(text, start, end)), end]
    cuts, piece = [], start
    for k in range(1, len(bounds) - 1):  # bounds[k]: after a mark, between two clauses
        before, after = bounds[k] - bounds[k - 1], bounds[k + 1] - bounds[k]
        if bounds[k + 1] - piece > MAX_SENTENCE and before <= _ENUMERATION and after <= _ENUMERATION:
            cuts.append(bounds[k])
            piece = bounds[k]
    return cuts


_UNIT_LINE = 50  # a web line shorter than this (a caption, a headline) is a unit of its own
_LINE_END_PUNCT = frozenset("。！？；!?;”」』）)】…:：")


def _line_ends(raw: str, raw_offsets: list[int]) -> list[int]:
    """Normalized-text positions of the line breaks of a web page, where each line is a unit.

    OCR'd newspaper columns break lines anywhere, at one width (most lines end mid-sentence,
    and normalization joins them); on a web page lines vary in length or end sentences, and a
    line that does not (a caption, a headline, a menu) is a unit of its own
    that must not run into the next: 締造美好校園活動 / 華陽化工黨支部全體黨員…
    """
    long = [ln for ln in (x.strip() for x in raw.split("\n")) if len(ln) >= 8]
    if not long:
        return []
    width = statistics.median(len(ln) for ln in long)
    column = [ln for ln in long if abs(len(ln) - width) <= 3]
    ended = sum(ln[-1] in _LINE_END_PUNCT for ln in column)
    if len(column) >= 0.5 * len(long) and ended < 0.3 * len(column):
        return []  # an OCR'd column: most lines of one width, and those break anywhere
    out, pos = [], 0
    for line in raw.split("\n")[:-1]:
        end = pos + len(line)
        if 0 < len(line.strip()) < _UNIT_LINE:  # a long line cut mid-word (…由遂 / 寧市…) runs on
            i = bisect.bisect_left(raw_offsets, end)
            if 0 < i < len(raw_offsets):
                out.append(i)
        pos = end + 1
    return out


@dataclass
class Sentence:
    """One sentence: its span ``[start, end)`` in the normalized text and its match key."""

    start: int
    end: int
    key: str
    offsets: Sequence[int]  # key index -> normalized-text index (an array: 4 bytes a character, not 36)
    index: int = 0

    def span(self, i: int, j: int) -> tuple[int, int]:
        """The normalized-text span of key span ``[i, j)``."""
        return self.offsets[i], self.offsets[j - 1] + 1


_DOUBLED_COMMA = re.compile(",(?=[、,])")


def _without_doubled_commas(key: str, offs: list[int]) -> tuple[str, list[int]]:
    """The key without the comma mirrors insert before a 、 or
    another comma (A,、B ; 部署,,充分): a list stays one clause."""
    if ",、" not in key and ",," not in key:
        return key, offs
    drop = {m.start() for m in _DOUBLED_COMMA.finditer(key)}
    return "".join(c for n, c in enumerate(key) if n not in drop), [o for n, o in enumerate(offs) if n not in drop]


@dataclass
class Document:
    """The article: raw text, normalized text (with offsets to raw) and its sentences."""

    raw: str
    text: str
    raw_offsets: Sequence[int]
    sentences: list[Sentence] = field(default_factory=list)

    @classmethod
    def from_raw(cls, raw: str) -> Document:
        text, offsets = _normalize(raw)
        doc = cls(raw=raw, text=text, raw_offsets=offsets)
        ends = sorted({m.end() for m in _SENTENCE_END.finditer(text)} | set(_headline_ends(raw, doc.raw_offsets))
                      | set(_run_cuts(text)) | set(_line_ends(raw, doc.raw_offsets)) | {len(text)})
        ends = sorted({*ends, *(c for a, b in zip([0, *ends], ends) if b - a > MAX_SENTENCE
                                for c in _clause_cuts(text, a, b))})
        pos = 0
        for end in ends:
            if end > pos:
                key, offs = _without_doubled_commas(*match_key_with_offsets(text[pos:end]))
                if key:
                    doc.sentences.append(Sentence(pos, end, key, array("i", [pos + o for o in offs]),
                                                  len(doc.sentences)))
            pos = end
        return doc

    def name(self, start: int, end: int) -> str:
        """The name written at ``[start, end)``: as printed, without quotation marks or spaces."""
        return "".join(c for c in self.text[start:end] if c not in QUOTE_MARKS and not c.isspace())

    def quote(self, start: int, end: int) -> str:
        """The evidence quote at ``[start, end)``, trimmed of punctuation and quotation marks at its ends."""
        s, e = self.trim(start, end)
        return self.text[s:e]

    def trim(self, start: int, end: int) -> tuple[int, int]:
        """``[start, end)`` without leading/trailing spaces, quotation marks and sentence punctuation."""
        junk = QUOTE_MARKS | set("，。；：、！？,.;:!? \n（）()")
        while start < end and self.text[start] in junk:
            start += 1
        while end > start and self.text[end - 1] in junk:
            end -= 1
        # keep the opening quotation mark of a closing one inside the quote (“红领宁商”党建共同体)
        if start > 0 and self.text[start - 1] in "“「『" and any(c in "”」』" for c in self.text[start:end]):
            start -= 1
        # keep a closing bracket or quote whose opening one is kept
        for o, c in ("（）", "()", "《》"):
            if (end < len(self.text) and self.text[end] == c
                and self.text[start:end].count(o) > self.text[start:end].count(c)):
                end += 1
        return start, end
