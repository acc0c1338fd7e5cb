"""What is wrong with the facts, at a place a person can open: ``file:line: reason``."""

from __future__ import annotations

import reprlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import KgError

__all__ = ["Problem", "FactsError", "show", "close", "SHOWN_PROBLEMS"]

#: problems listed in a FactsError's message (all are in its ``problems``)
SHOWN_PROBLEMS = 100


class _Short(reprlib.Repr):
    """``repr`` cut to a readable size: a value of megabytes, or a YAML alias bomb, stays one short line."""

    def __init__(self) -> None:
        super().__init__()
        self.maxstring = self.maxother = 60
        self.maxlist = self.maxdict = 3
        self.maxlevel = 2

    def repr1(self, x: Any, level: int) -> str:
        if isinstance(x, dict) and type(x) is not dict:  # a marked mapping
            return self.repr_dict(x, level)
        if isinstance(x, list) and type(x) is not list:  # a marked sequence
            return self.repr_list(x, level)
        return super().repr1(x, level)


#: a value as a problem shows it: ``repr``, at most ~60 characters
show = _Short().repr


def close(word: Any, choices) -> str:
    """`` (did you mean a, b?)`` with the choices close to ``word``, or nothing."""
    import difflib

    if not isinstance(word, str):
        return ""
    near = difflib.get_close_matches(str(word), list(choices), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(near)}?)" if near else ""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a facts file, at a place a person can open."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class FactsError(KgError):
    """The facts do not validate; ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (str(p.path), p.line))
        head = f"{len(self.problems)} problem(s) in the facts:"
        shown = [*map(str, self.problems[:SHOWN_PROBLEMS])]
        if len(self.problems) > SHOWN_PROBLEMS:
            shown.append(f"… and {len(self.problems) - SHOWN_PROBLEMS} more (fix these first)")
        super().__init__("\n".join([head, *shown]))
