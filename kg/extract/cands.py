"""A candidate organization span in one sentence's name key, shared by the modules that find and cut them."""

from __future__ import annotations

from dataclasses import dataclass

from kg.extract.known import KnownEntity

__all__ = ["Cand"]


@dataclass
class Cand:
    """``key[i:j]`` may name an organization of ``type``; ``how`` says which pass proposed it (rule, model, byline…)."""

    i: int
    j: int
    type: str
    how: str
    generic: bool = False
    in_park: bool = False
    known: list[KnownEntity] | None = None
    written: str = ""
    bracket: int = 0  # where the bracket written right after the name ends (0: none; see orgparts.over_brackets)
