"""What the command line writes to a terminal: the stream that escapes what a terminal would act on, and how
many columns a text takes. Apart from :mod:`kg.render` (which re-exports them) so that a command that renders
no table — ``kg extract -o`` — does not import the renderer and the query results it renders.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from typing import TextIO

from kg.text import escape_controls

__all__ = ["TerminalText", "display_width", "shorten"]


def display_width(s: str) -> int:
    """Columns ``s`` takes in a terminal: East-Asian wide and full-width characters two, combining marks none.

    >>> display_width("红领宁商"), display_width("ABC"), display_width("ｋｇ"), display_width("é")
    (8, 3, 4, 1)
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)


def shorten(s: str, width: int) -> str:
    """``s`` cut to at most ``width`` display columns, ending in "…" when it was cut.

    >>> shorten("吸纳生物园区管委会机关", 9), shorten("short", 9)
    ('吸纳生物…', 'short')
    """
    if display_width(s) <= width:
        return s
    out = ""
    for ch in s:
        if display_width(out + ch) > width - 1:
            break
        out += ch
    return out.rstrip() + "…"


class TerminalText(io.TextIOBase):
    """A text stream that writes to ``stream`` with control and bidi characters escaped.

    Line feeds and tabs pass; everything else that a terminal acts on is written as
    ``\\uXXXX``. Its ``buffer`` is the underlying binary stream, for data written as bytes
    (``kg export`` to standard output), which the facts' own checks keep free of controls.
    """

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.before_write: Callable[[], None] | None = None  # e.g. end the progress bar drawn on the same terminal

    def write(self, s: str) -> int:
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        if self.before_write is not None and s:
            self.before_write()
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
