"""How far a score can move by the texts that happened to be picked: bootstrap intervals by text.

A benchmark of a hundred articles gives one precision; another hundred articles of the same kind would give
another. Resampling the texts with replacement (the text is the unit: its names and pairs are not independent)
and summing their counts again shows the spread — the interval that holds the middle ``level`` of the
resampled micro scores. :func:`paired_intervals` does the same for the difference between two runs over the
same texts (two versions of the extractor), so a change of three pairs can be told from noise.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from kg.extract.score import Score

__all__ = ["METRICS", "TextScores", "intervals", "paired_intervals"]

METRICS = ("precision", "recall", "f1")

TextScores = Mapping[str, Score]  # one text's score per kind of fact (org_alias, membership, indicator …)


def _total(texts: Sequence[TextScores], picks: Sequence[int], kind: str) -> Score:
    s = Score(0, 0, 0)
    for i in picks:
        if kind in texts[i]:
            s = s + texts[i][kind]
    return s


def _bounds(values: list[float], level: float) -> tuple[float, float]:
    values.sort()
    lo = int((1 - level) / 2 * (len(values) - 1))
    return values[lo], values[len(values) - 1 - lo]


def _draws(n_texts: int, n: int, seed: int) -> list[list[int]]:
    rng = random.Random(seed)
    return [[rng.randrange(n_texts) for _ in range(n_texts)] for _ in range(n)]


def intervals(texts: Sequence[TextScores], kinds: Sequence[str], n: int = 2000, seed: int = 0,
              level: float = 0.95) -> dict[str, dict[str, tuple[float, float]]]:
    """For each of ``kinds``, each metric's interval over ``n`` resamples of ``texts`` (micro scores)."""
    if not texts:
        raise ValueError("no texts to resample")
    draws = _draws(len(texts), n, seed)
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for kind in kinds:
        sums = [_total(texts, d, kind) for d in draws]
        out[kind] = {m: _bounds([getattr(s, m) for s in sums], level) for m in METRICS}
    return out


def paired_intervals(after: Mapping[str, TextScores], before: Mapping[str, TextScores], kinds: Sequence[str],
                     n: int = 2000, seed: int = 0,
                     level: float = 0.95) -> dict[str, dict[str, tuple[float, float, float]]]:
    """For each of ``kinds`` and metric: the difference ``after − before`` over the texts both scored, and its
    interval when the same resampled texts are scored by both (a :class:`ValueError` when they share none)."""
    stems = sorted(set(after) & set(before))
    if not stems:
        raise ValueError("the two runs share no text")
    a, b = [after[s] for s in stems], [before[s] for s in stems]
    every = list(range(len(stems)))
    draws = _draws(len(stems), n, seed)
    out: dict[str, dict[str, tuple[float, float, float]]] = {}
    for kind in kinds:
        whole = (_total(a, every, kind), _total(b, every, kind))
        sums = [(_total(a, d, kind), _total(b, d, kind)) for d in draws]
        out[kind] = {m: (getattr(whole[0], m) - getattr(whole[1], m),
                         *_bounds([getattr(x, m) - getattr(y, m) for x, y in sums], level)) for m in METRICS}
    return out
