"""A multi-pattern matcher (Aho–Corasick): every occurrence of many strings in one pass over a text.

>>> m = Matcher({"金诃藏药": 1, "金诃藏药集团有限公司": 2, "集团": 3})
>>> [(s, e, v) for s, e, v in m.find_all("园区金诃藏药集团有限公司")]
[(2, 6, 1), (2, 12, 2), (6, 8, 3)]
>>> [(s, e, v) for s, e, v in m.longest("园区金诃藏药集团有限公司")]
[(2, 12, 2)]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from typing import Generic, TypeVar

__all__ = ["Matcher"]

V = TypeVar("V")


class Matcher(Generic[V]):
    """Finds all occurrences of the keys of ``patterns``; each match carries the key's value."""

    def __init__(self, patterns: Mapping[str, V]):
        self._goto: list[dict[str, int]] = [{}]
        self._fail: list[int] = [0]
        self._out: list[list[tuple[int, V]]] = [[]]  # (length, value) of patterns ending here
        for pat, value in patterns.items():
            if pat:
                self._add(pat, value)
        self._link()

    def _add(self, pat: str, value: V) -> None:
        node = 0
        for ch in pat:
            nxt = self._goto[node].get(ch)
            if nxt is None:
                nxt = len(self._goto)
                self._goto[node][ch] = nxt
                self._goto.append({})
                self._fail.append(0)
                self._out.append([])
            node = nxt
        self._out[node].append((len(pat), value))

    def _link(self) -> None:
        queue = deque(self._goto[0].values())
        while queue:
            node = queue.popleft()
            for ch, child in self._goto[node].items():
                queue.append(child)
                f = self._fail[node]
                while f and ch not in self._goto[f]:
                    f = self._fail[f]
                cand = self._goto[f].get(ch, 0)
                self._fail[child] = cand if cand != child else 0
                self._out[child] = self._out[child] + self._out[self._fail[child]]

    def find_all(self, text: str) -> Iterator[tuple[int, int, V]]:
        """Every match as ``(start, end, value)``, sorted by start then end."""
        found: list[tuple[int, int, V]] = []
        node = 0
        goto, fail, out = self._goto, self._fail, self._out
        for i, ch in enumerate(text):
            while node and ch not in goto[node]:
                node = fail[node]
            node = goto[node].get(ch, 0)
            for length, value in out[node]:
                found.append((i + 1 - length, i + 1, value))
        found.sort(key=lambda m: (m[0], m[1]))
        return iter(found)

    def longest(self, text: str) -> Iterator[tuple[int, int, V]]:
        """Leftmost-longest matches that do not overlap."""
        best: dict[int, tuple[int, int, V]] = {}
        for s, e, v in self.find_all(text):
            if s not in best or e > best[s][1]:
                best[s] = (s, e, v)
        pos = 0
        for s in sorted(best):
            if s >= pos:
                yield best[s]
                pos = best[s][1]
