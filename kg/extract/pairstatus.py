"""The status of a candidate membership (:mod:`~kg.extract.pairs`): planned, ended or active, from what its sentence
says of it; the words each status reads are found once per sentence, so a clause listing 1,500 members is read once,
not once per member."""
from __future__ import annotations

import re
from bisect import bisect_left

from kg.extract.clause import SentenceView
from kg.extract.orgs import Mention
from kg.extract.pairfeatures import UNITS, read_once, runs

__all__ = ["ENDS", "cautious", "status", "status_over"]

ENDS = re.compile(r"退出|除名")  # what ends a membership
_MEMBER_WORD = re.compile(UNITS)  # the words that name the members (A、B等40余家成员单位)
_CAUTION = ("active", "ended", "planned")  # statuses from the least cautious


def status(st: SentenceView, x: Mention, b: Mention | None) -> str:
    """The status of ``x`` joining the body named at ``b``: ended when 退出 is said of it, planned when an intent comes
    before the end of what its clause says of it (理事单位（A、B）将于下月确定: after the list too)."""
    end = _said_until(st, x)
    if _first(st, ENDS, st.clause_start(x.i), end) is not None:
        return "ended"
    return st.status(max(end - 1, x.j, b.i if b is not None else 0))


def status_over(st: SentenceView, x: Mention, a: int) -> str:
    """The status of ``x`` joining a body named from ``a`` on (分别: the bodies' clause says the intent too), clause by
    clause up to the member's own (:func:`status`)."""
    out, pos = status(st, x, None), a
    while out == "active" and pos < x.i:
        end = min(st.clause_end(pos), x.i)
        out = "planned" if st.status(end) == "planned" else out
        pos = max(end, pos) + 1
    return out


def cautious(one: str, other: str) -> str:
    """The more cautious of two statuses: planned, then ended, then active."""
    return max(one, other, key=_CAUTION.index)


def _said_until(st: SentenceView, x: Mention) -> int:
    """The end of what the member's clause says of it: the clause, or the word that names it a member after its list
    (A、B等40余家成员单位 天津市将…: a sentence run on without a stop; the intent is another subject's)."""
    end = st.clause_end(x.j)
    said = _first(st, _MEMBER_WORD, runs(st).get(id(x), (x, x, 1))[1].j, end)
    return end if said is None else said


def _first(st: SentenceView, words: re.Pattern, a: int, b: int) -> int | None:
    """Where the first of ``words`` inside ``[a, b)`` of the sentence ends (``words.search(st.key, a, b)``, whose
    words cannot overlap one another), by bisection in their places found once per sentence; None when none is."""
    cache = read_once(st)
    if ("words", words) not in cache:
        found = [(m.start(), m.end()) for m in words.finditer(st.key)]
        cache["words", words] = ([i for i, _ in found], [j for _, j in found])
    starts, ends = cache["words", words]
    k = bisect_left(starts, a)
    return ends[k] if k < len(starts) and ends[k] <= b else None
