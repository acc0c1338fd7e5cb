"""Overlapping organization candidates: the longest that do not overlap, and the bylines' and model's spans added."""

from __future__ import annotations

from kg.extract.cands import Cand
from kg.extract.lexicon import GENERIC_WORDS
from kg.extract.orgspans import CUT_HEADS, FACILITY_CENTRE, NOT_ORG_WORDS
from kg.extract.tokens import FUNCTION_CHARS, PREPOSITION_CHARS

__all__ = ["pick", "extra_cands"]


def pick(cands: list[Cand]) -> list[tuple[Cand, bool]]:
    """Non-overlapping candidates, longest first (a known name, then a distinctive one wins a tie); plus parks nested
    as prefixes."""
    order = sorted(cands, key=lambda c: (-(c.j - c.i), c.how != "known", c.how != "chain", c.generic, c.i))
    taken: list[Cand] = []
    nested: list[Cand] = []
    owner: dict[int, Cand] = {}  # key position -> the taken candidate covering it
    for c in order:
        if c.i >= c.j:
            clash = [t for t in taken if c.i < t.j and t.i < c.j]
        else:
            clash = list({id(owner[p]): owner[p] for p in range(c.i, c.j) if p in owner}.values())
        if not clash:
            taken.append(c)
            owner.update(dict.fromkeys(range(c.i, c.j), c))
        # …产业园|区 is one
        elif c.type == "IndustrialPark" and not c.generic and all(t.i == c.i and t.j > c.j + 1 for t in clash):
            if not any((n.i, n.j) == (c.i, c.j) for n in nested):
                nested.append(c)
    return [(c, False) for c in taken] + [(c, True) for c in nested]


def extra_cands(key: str, cands: list[Cand], extra) -> list[Cand]:
    """Bylines' and the statistical model's spans ``(i, j, type, how)`` that no rule candidate overlaps;
    where the model sees a longer left edge of a rule's name (长株潭|园区发展联盟 where jieba stopped
    at 潭), the rule's candidate grows to it — unless the rules cut a descriptor there (园区|金诃藏药…)."""
    out: list[Cand] = []
    if not extra:
        return out
    # where each candidate lies (by index, kept as a candidate grows), and where a span was taken: what overlaps a
    # span is read from its positions, not from every candidate — a list of 1,500 names has 1,500 of each
    covering: dict[int, list[int]] = {}
    for n, c in enumerate(cands):
        for p in range(c.i, c.j):
            covering.setdefault(p, []).append(n)
    taken = bytearray(len(key) + 1)
    # an empty candidate overlaps what strictly surrounds it: then scan, as written
    scan = any(c.i >= c.j for c in cands)
    for i, j, t, how in extra:
        if i >= j or scan:
            if any(c.i < j and i < c.j for c in out):
                continue
            clash = [c for c in cands if c.i < j and i < c.j]
        else:
            if 1 in taken[i:j]:
                continue
            clash = [cands[n] for n in sorted({n for p in range(i, j) for n in covering.get(p, ())})]
        if not clash:
            if not FACILITY_CENTRE.search(key, i, j) and not key[i:j].endswith(NOT_ORG_WORDS):
                out.append(Cand(i, j, t, how))
                taken[i:j] = b"\x01" * max(0, j - i)
        elif how == "byline" and all(i <= c.i and c.j <= j for c in clash):
            out.append(Cand(i, j, t, how))  # 来源:辽宁广播电视集团东北新闻网: the byline's whole name wins
            taken[i:j] = b"\x01" * (j - i)
        elif all(i <= c.i and c.j <= j for c in clash):
            outer = max(clash, key=lambda c: c.j - c.i)
            prefix = key[i : outer.i]
            if outer.how == "suffix" and outer.j == j and 0 < len(prefix) <= 3 \
                    and not set(prefix) & (FUNCTION_CHARS | PREPOSITION_CHARS) \
                    and not prefix.endswith(tuple(CUT_HEADS)) and prefix not in GENERIC_WORDS:
                if scan:
                    n = next(n for n, c in enumerate(cands) if c is outer)
                else:
                    n = next(n for n in covering[outer.j - 1] if cands[n] is outer)
                for p in range(i, outer.i):
                    covering.setdefault(p, []).append(n)
                outer.i = i
    return out
