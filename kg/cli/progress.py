"""Progress on stderr: a bar with rate and ETA on a terminal, a few plain lines in a log.

The library reports :class:`kg.progress.Step` s (phase, done, total, unit); :class:`ProgressView`
draws them. On a terminal, each phase is one line redrawn in place at most ten times a second::

    SHACL  ██████████░░░░░░░░░░  52%  31,200 of 60,000 quads  8,400/s  ETA 0:03

and left on screen, complete, when the phase ends. Anywhere else (a pipe, a CI log) each phase
gets a plain line when it starts and, once it has run for a second, one each time another tenth
is done, so logs say what ran (a killed build's log shows where it stopped) and stay short::

    … SHACL
    … SHACL: 6,000 of 60,000 quads
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from typing import TextIO

from kg.progress import Step
from kg.terminal import display_width, shorten
from kg.text import escape_controls

__all__ = ["ProgressView", "bar_line", "plain_line"]

_REDRAW = 0.1  # seconds between two redraws of a bar
_QUIET = 1.0  # seconds a phase runs before a log shows it
_BAR = 20  # cells of the bar


def plain_line(step: Step) -> str:
    """The log line of a step: ``… phase: done of total unit``, or ``… phase``."""
    amount = f"{step.done:,} of {step.total:,} {step.unit}".rstrip() if step.total else ""
    return f"… {step.phase}" + (f": {amount}" if amount else "")


def _clock(seconds: float) -> str:
    s = int(seconds + 0.5)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def bar_line(step: Step, elapsed: float, width: int = 80) -> str:
    """The terminal line of a step ``elapsed`` seconds into its phase, at most ``width`` columns: the
    bar narrows (to 5 cells), then the phase name is shortened, so the figures always show.

    >>> bar_line(Step("SHACL", 300, 1000, "quads"), 3.0)
    'SHACL  ██████░░░░░░░░░░░░░░   30%  300 of 1,000 quads  100/s  ETA 0:07'
    >>> bar_line(Step("extract: organizations", 3000, 3430, "characters"), 6.0)
    'extract: organizations  ████░   87%  3,000 of 3,430 characters  500/s  ETA 0:01'
    >>> bar_line(Step("读取事实", 40, None, "files"), 2.0)
    '读取事实  40 files  20/s  0:02'
    """
    rate = step.done / elapsed if elapsed > 0 and step.done else 0.0
    speed = f"{rate:,.0f}/s" if rate >= 1 else ""
    if not step.total:
        tail = "  ".join(t for t in (f"{step.done:,} {step.unit}".rstrip(), speed, _clock(elapsed)) if t)
        return f"{shorten(step.phase, max(8, width - 3 - display_width(tail)))}  {tail}"
    frac = step.fraction or 0.0
    if step.done >= step.total:
        eta = _clock(elapsed)
    else:
        eta = "ETA " + (_clock((step.total - step.done) / rate) if rate else "--:--")
    amount = f"{step.done:,} of {step.total:,} {step.unit}".rstrip()
    tail = "  ".join(t for t in (f"{frac:4.0%}", amount, speed, eta) if t)
    room = width - 1 - display_width(step.phase) - display_width(tail) - 4  # what is left for the bar
    cells = max(5, min(_BAR, room))
    phase = shorten(step.phase, max(8, width - 1 - cells - display_width(tail) - 4))
    filled = int(frac * cells)
    return f"{phase}  {'█' * filled}{'░' * (cells - filled)}  {tail}"


class ProgressView:
    """A progress callback (``progress=`` of the library's long functions) drawing on ``stream``.

    ``tty`` (default: whether ``stream`` is a terminal) picks the bar or the plain lines; call
    :meth:`close` when the work ends, so an unfinished bar does not run into the next line.
    A note (``Step.note``) is shown as a message line.
    """

    def __init__(self, stream: TextIO | None = None, *, tty: bool | None = None, clock=time.monotonic):
        stream = stream if stream is not None else sys.stderr
        self.stream = getattr(stream, "stream", stream)  # under TerminalText: it would escape the bar's \r
        self.tty = stream.isatty() if tty is None else tty
        self.clock = clock
        self.phase: str | None = None
        self.started = self.drawn = 0.0
        self.tenth = -1  # the last tenth of the phase shown as a plain line
        self.open = False  # a bar is on screen without its line end

    def __call__(self, step: Step) -> None:
        if step.note:
            self._end_bar()
            self._write(f"… {escape_controls(step.phase)}\n")
            return
        step = Step(escape_controls(step.phase), step.done, step.total, escape_controls(step.unit))
        now = self.clock()
        new = step.phase != self.phase
        if new:
            self._end_bar()
            self.phase, self.started, self.tenth, self.drawn = step.phase, now, -1, 0.0
        finished = bool(step.total) and step.done >= step.total
        if self.tty:
            if new or finished or now - self.drawn >= _REDRAW:
                self.drawn = now
                self._write("\r" + bar_line(step, now - self.started, self._columns()) + "\x1b[K")
                self.open = True
                if finished:
                    self._end_bar()
            return
        tenth = int((step.fraction or 0.0) * 10)
        if new:
            self.tenth = tenth
            self._write(f"… {step.phase}\n")
        elif now - self.started >= _QUIET and tenth > self.tenth:
            self.tenth = tenth
            self._write(plain_line(step) + "\n")

    def close(self) -> None:
        """End the bar on screen, if any, with its line end."""
        self._end_bar()

    def _columns(self) -> int:
        """The width of the terminal the bar is drawn on (stderr's, which may differ from stdout's)."""
        try:
            return os.get_terminal_size(self.stream.fileno()).columns
        except (OSError, ValueError, AttributeError):
            return shutil.get_terminal_size().columns

    def _end_bar(self) -> None:
        if self.open:
            self._write("\n")
            self.open = False

    def _write(self, text: str) -> None:
        self.stream.write(text)  # its data is escaped already; \r and the erase-line sequence are the bar's
        self.stream.flush()
