"""Progress of long work, reported as data: the library calls a callback, the CLI draws it.

A long-running library function takes ``progress: Progress | None`` and calls it with a
:class:`Step` — a named phase with how much of it is done. It never prints. ``kg.cli.progress``
turns the steps into a bar with an ETA on a terminal and into a few plain lines otherwise.
What the reader must see even when the work is quick (the store was changed behind the
build's back, so everything is rebuilt) is a note instead: a Step with ``note=True``, sent by
:func:`notifier` and shown as a line, never as a bar.

>>> seen = []
>>> report = reporter(seen.append)
>>> report("SHACL", 10, 40, "quads")
>>> seen[0].fraction
0.25
>>> reporter(None)("anything")  # no callback: nothing happens
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Step", "Progress", "Report", "reporter", "notifier"]


@dataclass(frozen=True, slots=True)
class Step:
    """One progress report.

    ``phase`` names the work ("loading facts", "SHACL", "extract"); ``done`` of ``total`` units
    (``unit``: "files", "quads", "characters", ...) are finished. ``total`` is ``None`` when the
    amount is unknown; a step with ``done == 0`` and no total just announces the phase.
    A ``note`` is a message for the user ("the store was written to after it was built: …"),
    shown as it is however quick the work, never drawn as a bar.
    """

    phase: str
    done: int = 0
    total: int | None = None
    unit: str = ""
    note: bool = False

    @property
    def fraction(self) -> float | None:
        """How much of the phase is done, 0..1, or ``None`` when the total is unknown."""
        if not self.total:
            return None
        return min(1.0, self.done / self.total)


Progress = Callable[[Step], None]
Report = Callable[..., None]


def reporter(progress: Progress | None) -> Report:
    """``report(phase, done=0, total=None, unit="")``: calls ``progress`` with a Step, or does nothing."""
    if progress is None:
        return lambda *_a, **_k: None

    def report(phase: str, done: int = 0, total: int | None = None, unit: str = "") -> None:
        progress(Step(phase, done, total, unit))

    return report


def notifier(progress: Progress | None) -> Callable[[str], None]:
    """``note(message)``: calls ``progress`` with the message as a note (a line, never a bar), or does nothing.

    >>> seen = []
    >>> notifier(seen.append)("the store was written to after it was built")
    >>> seen[0].note, seen[0].phase
    (True, 'the store was written to after it was built')
    """
    if progress is None:
        return lambda _message: None
    return lambda message: progress(Step(message, note=True))
