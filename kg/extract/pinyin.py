"""Pinyin of names for ids: pypinyin's readings, its phrase table and its forward maximum matching, loaded by need.

``pypinyin.lazy_pinyin`` reads its whole phrase table (about 400,000 phrases) and builds its prefix
set at import, half a second or more. :func:`lazy_pinyin` gives the same readings for a run of
Chinese characters from a cache file of the same tables (:mod:`~kg.extract.dictionary`), written
from the installed pypinyin at first use, of which it loads only the characters the run holds.
"""

from __future__ import annotations

import os
from functools import lru_cache

from kg.errors import KgError
from kg.extract.dictionary import Buckets

__all__ = ["lazy_pinyin"]


@lru_cache(maxsize=1)
def _tables() -> tuple[Buckets, dict[str, tuple[str, ...]], set[str], dict[str, str]]:
    phrases: dict[str, tuple[str, ...]] = {}
    prefixes: set[str] = set()
    chars: dict[str, str] = {}
    source = _source()
    return Buckets.open("pinyin", source, 1, (phrases, prefixes, chars), _read_pypinyin), phrases, prefixes, chars


def _source() -> str:
    """What the cache is built from: the installed pypinyin's files — its ``__init__.py`` (which holds its version:
    an upgrade rewrites it) and its data files. Not its version by :mod:`importlib.metadata`, whose import took
    ~15 ms of every extraction."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("pypinyin")
    except ImportError:
        spec = None
    if spec is None or not spec.origin:
        raise KgError("kg extract needs pypinyin: pip install 'park-kg[extract]'")
    base = os.path.dirname(spec.origin)
    stats = [os.stat(os.path.join(base, f)) for f in ("__init__.py", "phrases_dict.json", "pinyin_dict.json")
             if os.path.exists(os.path.join(base, f))]
    return f"{base}|{[(s.st_size, s.st_mtime_ns) for s in stats]}"


def _read_pypinyin() -> tuple[int, list]:
    """pypinyin's phrase readings (tone marks removed, ü as v, as its NORMAL style), the phrases' prefixes
    and each character's first reading."""
    from pypinyin import Style
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    from pypinyin.style import convert

    normal: dict[str, str] = {}

    def plain(syllable: str) -> str:
        if syllable not in normal:
            normal[syllable] = convert(syllable, Style.NORMAL, True)
        return normal[syllable]

    phrases = {p: tuple(plain(r[0]) for r in readings) for p, readings in PHRASES_DICT.items()}
    prefixes = {p[:k] for p in PHRASES_DICT for k in range(1, len(p) + 1)}
    chars = {chr(o): plain(v.split(",")[0]) for o, v in PINYIN_DICT.items()}
    return 0, [phrases, prefixes, chars]


def _cut(run: str, prefixes: set[str]) -> list[str]:
    """pypinyin's forward maximum matching (``pypinyin.seg.mmseg.Seg.cut``): the longest prefix of the phrase table."""
    out: list[str] = []
    while run:
        k = 0
        while k < len(run) and run[: k + 1] in prefixes:
            k += 1
        k = max(k, 1)
        out.append(run[:k])
        run = run[k:]
    return out


def lazy_pinyin(run: str) -> list[str]:
    """The readings of a run of Chinese characters, as ``pypinyin.lazy_pinyin(run)`` gives them.

    >>> lazy_pinyin("金诃藏药")
    ['jin', 'he', 'zang', 'yao']
    """
    buckets, phrases, prefixes, chars = _tables()
    buckets.ensure(run)
    out: list[str] = []
    for seg in _cut(run, prefixes):
        out += phrases[seg] if seg in phrases else [chars.get(c, c) for c in seg]
    return out
