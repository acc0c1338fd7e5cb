"""Render a :class:`~kg.queries.result.Report` as a terminal table, JSON or CSV text.

Tables measure Chinese characters as two columns wide and wrap long cells (quotes). Given a
``width`` (the CLI passes the terminal's when standard output is one), a table is fitted to it:
quotes and other prose are shortened to one line ending in "…", English and source columns are
hidden when there is no room, and a last note says what was left out (``--full`` shows it all).
Without a width — pipes, files, ``--full`` — the output is what it always was.

:class:`~kg.terminal.TerminalText` (re-exported here) is where every line the CLI prints passes: it writes control and
bidi characters (ESC, U+009B CSI, U+202E…) as ``\\uXXXX`` (:func:`kg.text.escape_controls`),
so no text from a facts file, an article or the store can move the cursor, recolour the
terminal or reverse what it shows, in a table, a message or JSON (where ``\\uXXXX`` is
the same character). :func:`render` returns JSON and CSV data as it is; a table is laid out
on the escaped text, so its columns line up and it fits the width it was given.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from kg.queries.result import Report, Table
from kg.terminal import TerminalText, display_width, shorten
from kg.text import escape_controls

__all__ = ["render", "FORMATS", "display_width", "shorten", "TerminalText"]

FORMATS = ("table", "json", "csv")
_MAX_CELL = 26  # display columns before a cell wraps
_UNBROKEN = 80  # how wide a column of IRIs and other unbreakable ASCII tokens may grow
_WIDE = {"quote": 36, "evidence": 36, "source": 24}  # columns allowed to be wider
# Free text, fitted to a terminal by shortening it to one line: quotes, and the analytics' summaries
_PROSE = {"quote", "evidence", "detail", "holds_together", "relations", "memberships", "paths", "organizations",
          "members", "links", "via"}
_WORDS = re.compile(r"[^\s\u2e80-\uffff]+\s*|[\u2e80-\uffff]\s*|\s+")  # what _fold keeps on one line
_PROSE_FLOOR = 20  # display columns a shortened quote keeps before other columns are hidden


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, (list, tuple)):
        return "; ".join(map(_cell, v))
    return " ".join(str(v).split())  # no line breaks inside a cell


def _wrap(s: str, width: int) -> list[str]:
    """Lines of at most ``width`` display columns; Latin text breaks at spaces when it can."""
    lines: list[str] = []
    cur = ""
    for ch in s:
        if display_width(cur + ch) > width and cur:
            cut = cur.rfind(" ")
            if ch != " " and cut > 0 and cur[-1].isascii() and cur[-1].isalnum():
                lines.append(cur[:cut])
                cur = cur[cut + 1 :]
            else:
                lines.append(cur)
                cur = ""
            if ch == " ":
                continue
        cur += ch
    lines.append(cur)
    return lines


def _pad(s: str, width: int) -> str:
    return s + " " * (width - display_width(s))


def _limit(column: str, values: list[str]) -> int:
    """How wide a column may grow: IRIs and other unbreakable ASCII tokens are not wrapped."""
    if values and all(v.isascii() and " " not in v for v in values):
        return _UNBROKEN
    return _WIDE.get(column, _MAX_CELL)


def _table_text(t: Table, width: int | None = None, left_out: set[tuple[str, str]] | None = None) -> str:
    """The table's text; with ``width``, fitted to it (what was shortened or hidden is added to ``left_out``)."""
    cols = [c for c in t.columns if any(r.get(c) not in (None, "") for r in t.rows)] or t.columns
    cells = [[escape_controls(_cell(r.get(c))) for c in cols] for r in t.rows]  # measured as a terminal shows them
    natural = [max([display_width(c)] + [display_width(row[i]) for row in cells]) for i, c in enumerate(cols)]
    limits = [_limit(c, [row[i] for row in cells]) for i, c in enumerate(cols)]
    widths = [min(limit, n) for limit, n in zip(limits, natural)]
    prose = [False] * len(cols)
    if width is not None:
        shown, widths, prose = _fit(cols, natural, limits, width, left_out if left_out is not None else set())
        cols, cells = [cols[i] for i in shown], [[row[i] for i in shown] for row in cells]
    sep = "  "
    out = [sep.join(_pad(shorten(c, w), w) for c, w in zip(cols, widths)).rstrip(), sep.join("─" * w for w in widths)]
    for row in cells:
        wrapped = [[shorten(v, w)] if p else _wrap(v, w) for v, w, p in zip(row, widths, prose)]
        for k in range(max(len(x) for x in wrapped)):
            out.append(sep.join(_pad(x[k] if k < len(x) else "", w) for x, w in zip(wrapped, widths)).rstrip())
    return "\n".join(out)


def _hideable(cols: list[str]) -> list[int]:
    """Columns that may be hidden to fit a terminal, first hidden first: English names, then sources."""
    return [i for i, c in enumerate(cols) if c.endswith("_en")] + [i for i, c in enumerate(cols) if c == "source"]


def _fit(cols: list[str], natural: list[int], limits: list[int], width: int,
         left_out: set[tuple[str, str]]) -> tuple[list[int], list[int], list[bool]]:
    """Which columns to show and how wide, so the table fits ``width``.

    In turn, while it does not fit: prose (a column of _PROSE that would wrap) is shortened to one
    line of _PROSE_FLOOR columns; English and source columns are hidden; prose is shortened to
    10, names narrowed to 16 (they wrap), prose to 6, names to 8. IRIs, relation and type names
    are never cut. Room left over goes back to the prose.
    """
    prose = {i for i, c in enumerate(cols) if c in _PROSE and natural[i] > limits[i]}
    w = {i: natural[i] if i in prose else min(natural[i], limits[i]) for i in range(len(cols))}
    names = {i for i in w if limits[i] != _UNBROKEN} - prose

    def total() -> int:
        return sum(w.values()) + 2 * (len(w) - 1)

    def narrow(which: set[int], floor: int) -> None:
        while total() > width and (wide := [i for i in which & w.keys() if w[i] > floor]):
            w[max(wide, key=lambda k: (w[k], -k))] -= 1

    narrow(prose, _PROSE_FLOOR)
    for i in _hideable(cols):
        if total() > width and len(w) > 1:
            del w[i]
            left_out.add(("hidden", cols[i]))
    for which, floor in ((prose, 10), (names, 16), (prose, 6), (names, 8)):
        narrow(which, floor)
    for i in sorted(prose & w.keys()):
        w[i] = min(natural[i], w[i] + max(0, width - total()))
        if w[i] < natural[i]:
            left_out.add(("shortened", cols[i]))
    shown = sorted(w)
    return shown, [w[i] for i in shown], [i in prose for i in shown]


def _subject_line(subject: dict[str, Any]) -> str:
    s = subject["name"]
    if subject.get("name_en"):
        s += f" / {subject['name_en']} (translation)"
    if subject.get("types"):
        s += f"  [{', '.join(subject['types'])}]"
    return s + f"\n<{subject['iri']}>"


def render(report: Report, fmt: str = "table", width: int | None = None) -> str:
    """The report as text in ``fmt`` (one of :data:`FORMATS`); a table fitted to ``width`` columns when given."""
    if fmt == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    if fmt == "csv":
        return _csv(report)
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}")
    parts = []
    left_out: set[tuple[str, str]] = set()
    if report.subject:
        parts += _fold(_subject_line(report.subject), width)
    for t in report.tables:
        if len(report.tables) > 1 or t.title:
            parts.append(f"== {t.title or t.name} ({len(t.rows)}) ==")
        parts.append(_table_text(t, width, left_out) if t.rows else "(none)")
    for n in report.notes + ([_left_out_note(left_out)] if left_out else []):
        parts += _fold(f"note: {n}", width)
    return "\n".join(parts)


def _fold(text: str, width: int | None) -> list[str]:
    """The lines of ``text``, each wrapped to ``width`` display columns when given: between words, or
    between any two Chinese characters.

    >>> _fold("note: 青海大学 will join --full", 12)
    ['note: 青海大', '学 will join', '--full']
    """
    text = escape_controls(text)  # measured as a terminal shows it
    if width is None:
        return [text]
    lines = []
    for para in text.split("\n"):
        cur = ""
        for word in _WORDS.findall(para):
            if cur and display_width(cur + word.rstrip()) > width:
                lines.append(cur.rstrip())
                cur = ""
            while display_width(word.rstrip()) > width:  # a word longer than a line: cut it
                head = shorten(word, width + 1)[:-1] or word[0]
                lines.append(head)
                word = word[len(head):]
            cur += word
        lines.append(cur.rstrip())
    return lines


def _left_out_note(left_out: set[tuple[str, str]]) -> str:
    """What fitting the tables to the terminal left out, and how to see it all."""
    said = []
    for kind, what in (("shortened", "shortened (…)"), ("hidden", "hidden")):
        if names := sorted({c for w, c in left_out if w == kind}):
            said.append(f"{', '.join(names)} {what}")
    return f"{'; '.join(said)}; --full shows all"


def _csv(report: Report) -> str:
    buf = io.StringIO()
    multi = len(report.tables) > 1
    cols: list[str] = ["table"] if multi else []
    for t in report.tables:
        cols += [
            c for c in dict.fromkeys(t.columns) if c not in cols
        ]  # a column once, even when a table names it twice
    w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for t in report.tables:
        for r in t.rows:
            row = {c: _cell(r.get(c)) for c in t.columns}
            if multi:
                row["table"] = t.name
            w.writerow(row)
    return buf.getvalue().rstrip("\n")
