"""Word segmentation with jieba (the `extract` extra): words with part of speech, and what makes a word generic.

jieba ships its dictionary, so nothing is downloaded; the first use writes it, cut into buckets,
to a cache file (:mod:`~kg.extract.dictionary`), and each text then loads only the words that can start in it.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from functools import lru_cache

from kg.errors import KgError
from kg.extract.dictionary import Buckets
from kg.extract.lexicon import GENERIC_WORDS, PLACE_NAMES

__all__ = ["words", "is_generic_word", "word_freq"]

_PROPER = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "nt", "eng"})
_PLACE_FREQ = 500  # enough for jieba to cut a place it did not know as one word
_COMMON_FREQ = 1000  # a dictionary word at least this frequent is common, unless a proper noun


@lru_cache(maxsize=1)
def _posseg():
    blocked = "pkg_resources" not in sys.modules
    if blocked:  # jieba reads its files with pkg_resources when it can: a quarter of a second to import
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    except ImportError:
        raise KgError("kg extract needs jieba: pip install 'park-kg[extract]'") from None
    finally:
        if blocked:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(logging.WARNING)
    dt = jieba.dt
    dt.get_dict_file = lambda: io.BytesIO()  # jieba.posseg reads the whole tag table at import: read nothing
    try:
        import jieba.posseg
    finally:
        del dt.get_dict_file
    dictionary = _dictionary(jieba)
    if dictionary is None:  # no cache can be written: jieba's own start, a second or two
        jieba.initialize()
        jieba.posseg.dt.load_word_tag(dt.get_dict_file())
        for place in PLACE_NAMES:  # tagged as places, at no less than their dictionary frequency
            jieba.add_word(place, freq=max(dt.FREQ.get(place) or 0, _PLACE_FREQ), tag="ns")
    _read_unknown_runs_once(jieba.posseg.dt)
    _decode_with_arrays(jieba.posseg)
    return jieba, jieba.posseg, dictionary


def _dictionary(jieba) -> Buckets | None:
    """jieba's dictionary and tag table (with the place names), loaded bucket by bucket from a cache file."""
    dt = jieba.dt
    path = dt.dictionary or os.path.join(os.path.dirname(jieba.__file__), jieba.DEFAULT_DICT_NAME)
    st = os.stat(path)
    source = f"{path}|{st.st_size}|{st.st_mtime_ns}|{_PLACE_FREQ}|{sorted(PLACE_NAMES)}"
    freq: dict[str, int] = {}
    tags: dict[str, str] = {}
    try:
        d = Buckets.open("jieba", source, 2, (freq, tags), lambda: _read_jieba(dt.get_dict_file()))
    except OSError:
        return None
    dt.FREQ, dt.total, dt.initialized = freq, d.total, True
    jieba.posseg.dt.word_tag_tab = tags
    return d


def _read_jieba(dict_file) -> tuple[int, list[dict]]:
    """jieba's total, prefix dictionary and tag table, with the
    places added as ``jieba.add_word(place, freq, "ns")`` would."""
    freq: dict[str, int] = {}
    tags: dict[str, str] = {}
    total = 0
    with dict_file as f:
        for line in f:
            parts = line.strip().decode("utf-8").split(" ")
            if len(parts) < 2:
                continue
            word, n = parts[0], int(parts[1])
            freq[word], total = n, total + n
            if len(parts) > 2:
                tags[word] = parts[2]
            for k in range(1, len(word)):
                freq.setdefault(word[:k], 0)
    for place in sorted(PLACE_NAMES):
        n = max(freq.get(place) or 0, _PLACE_FREQ)
        freq[place], total, tags[place] = n, total + n, "ns"
        for k in range(1, len(place)):
            freq.setdefault(place[:k], 0)
    return total, [freq, tags]


def _read_unknown_runs_once(tokenizer) -> None:
    """jieba reads each run of characters its dictionary cannot place with an HMM (most of its time); the
    same run gives the same words wherever it is met (a name in its sentence, then cut again alone for its
    short forms), so each is read once. Left as it is if jieba's tokenizer is not the one this was written for."""
    detail = getattr(tokenizer, "_POSTokenizer__cut_detail", None)
    if detail is None:
        return
    read = lru_cache(maxsize=1 << 16)(lambda run: tuple(detail(run)))
    tokenizer._POSTokenizer__cut_detail = lambda run: iter(read(run))


def _decode_with_arrays(posseg) -> None:
    """jieba.posseg's Viterbi decoder replaced by :class:`kg.extract.hmm.Viterbi` (the same path, a few times
    faster). Left as it is if jieba's module is not the one this was written for."""
    tables = [getattr(posseg, name, None) for name in ("start_P", "trans_P", "emit_P")]
    if callable(getattr(posseg, "viterbi", None)) and all(isinstance(t, dict) for t in tables):
        from kg.extract.hmm import Viterbi
        posseg.viterbi = Viterbi(*tables)


@lru_cache(maxsize=20000)
def words(text: str) -> tuple[tuple[str, str], ...]:
    """``text`` cut into ``(word, part_of_speech)`` pairs (jieba.posseg, HMM on for unknown words)."""
    _, pseg, dictionary = _posseg()
    if dictionary is not None:
        dictionary.ensure(text)
    return tuple((p.word, p.flag) for p in pseg.cut(text))


def word_freq(word: str) -> int | None:
    """The word's frequency in jieba's dictionary, or None for a word jieba does not know."""
    jieba, _, dictionary = _posseg()
    if dictionary is not None and word:
        dictionary.ensure_word(word)
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
