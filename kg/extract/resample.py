"""How far a score can move by the texts that happened to be picked: bootstrap intervals by text.

A benchmark of a hundred articles gives one precision; another hundred articles of the same kind would give
another. Resampling the texts with replacement (the text is the unit: its names and pairs are not independent)
and summing their counts again shows the spread — the interval that holds the middle ``level`` of the
resampled micro scores. :func:`paired_intervals` does the same for the difference between two runs over the
same texts (two versions of the extractor), so a change of three pairs can be told from noise.

Each kind is resampled from the texts that score it (a gold file without an ``indicators:`` section scores no
indicator), and a draw in which a metric has nothing to divide by (no prediction for precision, no gold item
for recall) is left out of that metric's spread rather than counted as a perfect score.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence

from kg.extract.score import Score

__all__ = ["METRICS", "TextScores", "intervals", "paired_intervals"]

METRICS = ("precision", "recall", "f1")

TextScores = Mapping[str, Score]  # one text's score per kind of fact (org_alias, membership, indicator …)

_NAN = (math.nan, math.nan)


def _total(scores: Sequence[Score], picks: Sequence[int]) -> Score:
    s = Score(0, 0, 0)
    for i in picks:
        s = s + scores[i]
    return s


def _defined(s: Score, metric: str) -> bool:
    """Whether ``metric`` of ``s`` divides by something (precision needs a prediction, recall a gold item)."""
    return bool(s.n_pred if metric == "precision" else s.n_gold if metric == "recall" else s.n_pred + s.n_gold)


def _bounds(values: list[float], level: float) -> tuple[float, float]:
    """The percentile interval holding the middle ``level`` of ``values`` (NaNs when there are none)."""
    if not values:
        return _NAN
    values.sort()
    lo = int((1 - level) / 2 * (len(values) - 1))
    return values[lo], values[len(values) - 1 - lo]


def _draws(n_texts: int, n: int, seed: int) -> list[list[int]]:
    if n < 1:
        raise ValueError(f"the number of resamples must be at least 1, not {n}")
    rng = random.Random(seed)
    return [[rng.randrange(n_texts) for _ in range(n_texts)] for _ in range(n)]


def intervals(texts: Sequence[TextScores], kinds: Sequence[str], n: int = 2000, seed: int = 0,
              level: float = 0.95) -> dict[str, dict[str, tuple[float, float]]]:
    """For each of ``kinds`` some text scores, each metric's interval over ``n`` resamples of those texts."""
    if not texts:
        raise ValueError("no texts to resample")
    out: dict[str, dict[str, tuple[float, float]]] = {}
    for kind in kinds:
        scores = [t[kind] for t in texts if kind in t]
        if not scores:
            continue
        sums = [_total(scores, d) for d in _draws(len(scores), n, seed)]
        out[kind] = {m: _bounds([getattr(s, m) for s in sums if _defined(s, m)], level) for m in METRICS}
    return out


def paired_intervals(after: Mapping[str, TextScores], before: Mapping[str, TextScores], kinds: Sequence[str],
                     n: int = 2000, seed: int = 0,
                     level: float = 0.95) -> dict[str, dict[str, tuple[float, float, float]]]:
    """For each of ``kinds`` and metric: the difference ``after − before`` over the texts both runs scored for it,
    and its interval when the same resampled texts are scored by both (a :class:`ValueError` when they share
    none)."""
    stems = sorted(set(after) & set(before))
    if not stems:
        raise ValueError("the two runs share no text")
    out: dict[str, dict[str, tuple[float, float, float]]] = {}
    for kind in kinds:
        both = [s for s in stems if kind in after[s] and kind in before[s]]
        if not both:
            continue
        a, b = [after[s][kind] for s in both], [before[s][kind] for s in both]
        whole = (_total(a, range(len(both))), _total(b, range(len(both))))
        sums = [(_total(a, d), _total(b, d)) for d in _draws(len(both), n, seed)]
        out[kind] = {m: (getattr(whole[0], m) - getattr(whole[1], m),
                         *_bounds([getattr(x, m) - getattr(y, m) for x, y in sums
                                   if _defined(x, m) and _defined(y, m)], level)) for m in METRICS}
    return out
