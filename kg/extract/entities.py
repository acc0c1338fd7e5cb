"""What the organization passes find: entities with their mentions, chains, and the per-sentence cover of mentions."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from kg.extract.known import KnownEntity
from kg.extract.lexicon import ORG_TYPES
from kg.text import name_key

if TYPE_CHECKING:
    from kg.extract.document import Document, Sentence

__all__ = ["Ent", "Mention", "Chain", "Found", "Cover", "Collected"]


@dataclass(eq=False)
class Ent:
    """One entity found in the article, with every mention; ``known`` when the graph has it."""

    name: str
    type: str
    how: str
    known: KnownEntity | None = None
    aliases: dict[str, str] = field(default_factory=dict)  # name key -> as written
    mentions: list[Mention] = field(default_factory=list)
    generic: bool = False
    parent_park: tuple[Ent, Mention] | None = None  # the park whose name prefixes this one (partOf), and where
    confidence: float | None = None  # the learned filter's probability that the name is right, when it weighed it

    @cached_property
    def key(self) -> str:
        return name_key(self.name)

    @property
    def is_org(self) -> bool:
        return self.type in ORG_TYPES

    def __repr__(self) -> str:
        return f"Ent({self.name!r}, {self.type}, {self.how}{', known=' + self.known.id if self.known else ''})"


@dataclass(eq=False)
class Mention:
    """Where an entity is named: sentence index and key span ``[i, j)`` in that sentence's key."""

    sent: int
    i: int
    j: int
    ent: Ent
    how: str
    in_park: bool = False  # written 园区X
    declared: bool = False  # a short form the article declares for it (FULL（以下简称“联盟”）), kind word or not


@dataclass
class Chain:
    name: str
    sent: int
    i: int
    j: int
    stages: list[Ent]


@dataclass
class Found:
    """Entities and their mentions per sentence, the home park and chains."""

    ents: list[Ent]
    by_sentence: dict[int, list[Mention]]
    home: Ent | None
    chains: list[Chain]

    def mentions(self, sent: int) -> list[Mention]:
        return self.by_sentence.get(sent, [])


class Cover:
    """The key positions a sentence's mentions cover, so whether a span overlaps one of them takes time
    proportional to the span, not to the number of mentions (kept up to date by ``add``)."""

    def __init__(self, key: str, ms: list[Mention]):
        self.at = bytearray(len(key) + 1)
        self.empty = any(m.i >= m.j for m in ms)  # an empty mention overlaps what strictly surrounds it
        for m in ms:
            self.add(m)

    def add(self, m: Mention) -> None:
        self.at[m.i : m.j] = b"\x01" * (m.j - m.i)
        self.empty = self.empty or m.i >= m.j

    def overlaps(self, a: int, b: int, ms: list[Mention]) -> bool:
        """``any(m.i < b and a < m.j for m in ms)``."""
        if self.empty or a >= b:
            return any(m.i < b and a < m.j for m in ms)
        return 1 in self.at[a:b]


class Collected(Protocol):
    """What the linking and reference passes read and change of the article's collector
    (:class:`kg.extract.orgs.Builder`), so they need not import the module that calls them."""

    doc: Document
    by_key: dict[str, Ent]
    mentions: dict[int, list[Mention]]
    anaphors: dict[int, set[tuple[int, int]]]
    word_ends: dict[int, bytes]
    covers: dict[int, Cover]
    by_char: dict[str, list[Sentence]] | None

    def written(self, s: Sentence, i: int, j: int) -> str: ...

    def merge(self, e: Ent, into: Ent) -> None: ...

    def promote_named(self) -> None: ...
