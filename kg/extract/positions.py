"""A sentence's marks and mentions indexed once, so the rules ask where a clause starts or which names
start in a range in logarithmic time instead of scanning the sentence: what keeps extraction linear
when one sentence is very long (a list of 1,500 companies, a text with no punctuation).

>>> marks = Marks("甲,乙;丙", ",;")
>>> marks.last_before(3), marks.first_at(3), marks.last_before(1), marks.first_at(4)
(1, 3, -1, -1)
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import Any

__all__ = ["Marks", "Spans"]


class Marks:
    """The positions of the characters of ``chars`` in ``key``, in order."""

    def __init__(self, key: str, chars: str):
        self.at = [m.start() for m in re.finditer("[" + re.escape(chars) + "]", key)]

    def last_before(self, pos: int) -> int:
        """The last mark before ``pos``, or -1."""
        k = bisect_left(self.at, pos)
        return self.at[k - 1] if k else -1

    def first_at(self, pos: int) -> int:
        """The first mark at or after ``pos``, or -1."""
        k = bisect_left(self.at, max(pos, 0))
        return self.at[k] if k < len(self.at) else -1


class Spans:
    """Items with a key span ``[i, j)`` (a sentence's mentions), in their order, by where they start.

    The rules keep a sentence's mentions sorted by start; if a list is not, every query scans it,
    with the same answers.

    >>> class M:
    ...     def __init__(self, i, j): self.i, self.j = i, j
    ...     def __repr__(self): return f"{self.i}-{self.j}"
    >>> sp = Spans([M(0, 4), M(5, 9), M(5, 7), M(12, 20)])
    >>> sp.starting(5, 12), sp.at(5), sp.covering(6), sp.covering(4), sp.ending_at(7)
    ([5-9, 5-7, 12-20], [5-9, 5-7], [5-9, 5-7], [], [5-7])
    """

    def __init__(self, items: list[Any]):
        self.items = items
        self.starts = [x.i for x in items]
        self.ordered = all(a <= b for a, b in zip(self.starts, self.starts[1:]))
        self.longest = max((x.j - x.i for x in items), default=0)
        self._ends: dict[int, list[Any]] | None = None

    def bounds(self, a: int, b: int) -> tuple[int, int]:
        """Indices ``lo, hi`` such that ``items[lo:hi]`` holds every
        item starting in ``[a, b]`` (all of them if unordered)."""
        if not self.ordered:
            return 0, len(self.items)
        return bisect_left(self.starts, a), bisect_right(self.starts, b)

    def starting(self, a: int, b: int) -> list[Any]:
        """The items starting in ``[a, b]``, in order."""
        lo, hi = self.bounds(a, b)
        return [x for x in self.items[lo:hi] if a <= x.i <= b]

    def at(self, i: int) -> list[Any]:
        """The items starting at ``i``."""
        return self.starting(i, i)

    def ending_at(self, j: int) -> list[Any]:
        """The items ending at ``j``, in order."""
        if self._ends is None:
            self._ends = {}
            for x in self.items:
                self._ends.setdefault(x.j, []).append(x)
        return self._ends.get(j, [])

    def covering(self, pos: int) -> list[Any]:
        """The items with ``i <= pos < j``."""
        return [x for x in self.starting(pos - self.longest, pos) if pos < x.j]

    def backward(self, a: int, b: int) -> Iterator[Any]:
        """The items starting in ``[a, b]``, last first."""
        lo, hi = self.bounds(a, b)
        for k in range(hi - 1, lo - 1, -1):
            if a <= self.items[k].i <= b:
                yield self.items[k]

    def forward(self, a: int, b: int) -> Iterator[Any]:
        """The items starting in ``[a, b]``, first first."""
        lo, hi = self.bounds(a, b)
        for k in range(lo, hi):
            if a <= self.items[k].i <= b:
                yield self.items[k]
