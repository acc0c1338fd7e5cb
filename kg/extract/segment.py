"""Word segmentation with jieba (the `extract` extra): words with part of speech, and what makes a word generic.

jieba ships its dictionary, so nothing is downloaded; its first use builds a prefix
dictionary (about a second) and caches it in the temporary directory.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from kg.errors import KgError
from kg.extract.lexicon import GENERIC_WORDS, PLACE_NAMES

__all__ = ["words", "is_generic_word", "word_freq"]

_PROPER = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "nt", "eng"})
_PLACE_FREQ = 500  # enough for jieba to cut a place it did not know as one word
_COMMON_FREQ = 1000  # a dictionary word at least this frequent is common, unless a proper noun


@lru_cache(maxsize=1)
def _posseg():
    try:
        import jieba
        import jieba.posseg
    except ImportError:
        raise KgError("kg extract needs jieba: pip install 'park-kg[extract]'") from None
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for place in PLACE_NAMES:  # tagged as places, at no less than their dictionary frequency
        jieba.add_word(place, freq=max(jieba.dt.FREQ.get(place) or 0, _PLACE_FREQ), tag="ns")
    _read_unknown_runs_once(jieba.posseg.dt)
    return jieba, jieba.posseg


def _read_unknown_runs_once(tokenizer) -> None:
    """jieba reads each run of characters its dictionary cannot place with an HMM (most of its time); the
    same run gives the same words wherever it is met (a name in its sentence, then cut again alone for its
    short forms), so each is read once. Left as it is if jieba's tokenizer is not the one this was written for."""
    detail = getattr(tokenizer, "_POSTokenizer__cut_detail", None)
    if detail is None:
        return
    read = lru_cache(maxsize=1 << 16)(lambda run: tuple(detail(run)))
    tokenizer._POSTokenizer__cut_detail = lambda run: iter(read(run))


@lru_cache(maxsize=20000)
def words(text: str) -> tuple[tuple[str, str], ...]:
    """``text`` cut into ``(word, part_of_speech)`` pairs (jieba.posseg, HMM on for unknown words)."""
    _, pseg = _posseg()
    return tuple((p.word, p.flag) for p in pseg.cut(text))


def word_freq(word: str) -> int | None:
    """The word's frequency in jieba's dictionary, or None for a word jieba does not know."""
    jieba, _ = _posseg()
    return jieba.dt.FREQ.get(word) or None


def is_generic_word(word: str, pos: str) -> bool:
    """True for a word too common to distinguish an organization (科技, 园区, 青年…)."""
    if word in GENERIC_WORDS:
        return True
    if pos in _PROPER or any(c.isascii() and c.isalnum() for c in word):
        return False
    if pos in ("f", "s") and len(word) >= 2:
        return False  # 北方, 东方: directions and places make names (北方民族大学)
    freq = word_freq(word)
    return freq is not None and freq >= _COMMON_FREQ
