"""Render a :class:`~kg.queries.result.Report` as a terminal table, JSON or CSV text.

Tables measure Chinese characters as two columns wide and wrap long cells (quotes) so
output stays readable in an 80–160 column terminal.

:class:`TerminalText` is where every line the CLI prints passes: it writes control and
bidi characters (ESC, U+009B CSI, U+202E…) as ``\\uXXXX`` (:func:`kg.text.escape_controls`),
so no text from a facts file, an article or the store can move the cursor, recolour the
terminal or reverse what it shows, in a table, a message or JSON (where ``\\uXXXX`` is
the same character). :func:`render` itself returns the data as it is.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import Any, TextIO

from kg.queries.result import Report, Table
from kg.text import escape_controls

__all__ = ["render", "FORMATS", "display_width", "TerminalText"]

FORMATS = ("table", "json", "csv")
_MAX_CELL = 26  # display columns before a cell wraps
_WIDE = {"quote": 36, "evidence": 36, "source": 24}  # columns allowed to be wider


def display_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)


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
        return 80
    return _WIDE.get(column, _MAX_CELL)


def _table_text(t: Table) -> str:
    cols = [c for c in t.columns if any(r.get(c) not in (None, "") for r in t.rows)] or t.columns
    cells = [[_cell(r.get(c)) for c in cols] for r in t.rows]
    widths = [
        min(_limit(c, [row[i] for row in cells]), max([display_width(c)] + [display_width(row[i]) for row in cells]))
        for i, c in enumerate(cols)
    ]
    sep = "  "
    out = [sep.join(_pad(c, w) for c, w in zip(cols, widths)).rstrip(), sep.join("─" * w for w in widths)]
    for row in cells:
        wrapped = [_wrap(v, w) for v, w in zip(row, widths)]
        for k in range(max(len(x) for x in wrapped)):
            out.append(sep.join(_pad(x[k] if k < len(x) else "", w) for x, w in zip(wrapped, widths)).rstrip())
    return "\n".join(out)


def _subject_line(subject: dict[str, Any]) -> str:
    s = subject["name"]
    if subject.get("name_en"):
        s += f" / {subject['name_en']} (translation)"
    if subject.get("types"):
        s += f"  [{', '.join(subject['types'])}]"
    return s + f"\n<{subject['iri']}>"


def render(report: Report, fmt: str = "table") -> str:
    """The report as text in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "json":
        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    if fmt == "csv":
        return _csv(report)
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}")
    parts = []
    if report.subject:
        parts.append(_subject_line(report.subject))
    for t in report.tables:
        if len(report.tables) > 1 or t.title:
            parts.append(f"== {t.title or t.name} ({len(t.rows)}) ==")
        parts.append(_table_text(t) if t.rows else "(none)")
    for n in report.notes:
        parts.append(f"note: {n}")
    return "\n".join(parts)


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


class TerminalText(io.TextIOBase):
    """A text stream that writes to ``stream`` with control and bidi characters escaped.

    Line feeds and tabs pass; everything else that a terminal acts on is written as
    ``\\uXXXX``. Its ``buffer`` is the underlying binary stream, for data written as bytes
    (``kg export`` to standard output), which the facts' own checks keep free of controls.
    """

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, s: str) -> int:
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        self.stream.write(escape_controls(s))
        return len(s)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def buffer(self):
        return self.stream.buffer

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.stream, "errors", None)
