"""Typed records of the facts: what the loader returns, each with the file and line it came from.

A facts file (``docs/model.md``) becomes one :class:`FactsFile` holding a :class:`Source`
and tuples of :class:`Entity`, :class:`Membership`, :class:`Relation`, :class:`Chain` and
:class:`Indicator`. Every record knows its ``file``, its ``line`` and the line of each of
its keys (:meth:`Located.line_of`), so any later check can say ``file:line: reason``.
``span`` / ``spans`` hold where each quote was found in the source text (character
offsets), so the compiler does not search for a quote the checker already found.

Records also read like the YAML mapping they came from (``entity["name"]``,
``relation.get("object")``), for code written against the facts format's own keys.

>>> e = Entity(file=Path("a.yaml"), line=3, lines={"id": 3, "name": 5}, id="park/x", types=("Park",),
...            name="园区", quotes=("园区",))
>>> e.line_of("name"), e.line_of("note"), e["type"], e.get("aliases")
(5, 3, 'Park', [])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

__all__ = [
    "Located",
    "Source",
    "Entity",
    "Membership",
    "Relation",
    "Chain",
    "Indicator",
    "FactsFile",
    "Facts",
    "SECTIONS",
]

#: the statement sections of a facts file, in file order
SECTIONS = ("entities", "memberships", "relations", "chains", "indicators")
Span = tuple[int, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class Located:
    """Where a record was read: its file, the line of its mapping and the line of each key (1-based)."""

    file: Path
    line: int
    lines: Mapping[str, int] = field(default_factory=dict, repr=False, compare=False)

    def line_of(self, key: str) -> int:
        """The line of ``key`` in the file, or the record's own line when the key is absent."""
        return self.lines.get(key, self.line)

    # The YAML view: the facts format's key names over the typed fields.
    _YAML: ClassVar[Mapping[str, str]] = {}

    def __getitem__(self, key: str) -> Any:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        """The value the facts file gave ``key`` (lists as lists), or ``default`` when it has none."""
        name = self._YAML.get(key, key)
        if name not in self.__dataclass_fields__ or name in ("file", "line", "lines"):
            return default
        value = getattr(self, name)
        if value is None or value == ():
            return [] if key == "aliases" else default
        return list(value) if isinstance(value, tuple) and name not in ("span", "offsets") else value

    def __contains__(self, key: str) -> bool:
        return self.get(key, _MISSING) is not _MISSING


_MISSING = object()


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """A source document: its text (``seeds/sources/<stem>.txt``) and metadata (``<stem>.meta.yaml``)."""

    stem: str
    path: Path
    text: str
    id: str
    title: str = ""  # required; empty only while its absence is being reported
    title_is_descriptive: bool = False
    outlet: str | None = None
    page: str | int | None = None
    date: str | None = None
    date_note: str | None = None
    reporter: str | None = None
    language: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class _Reviewed(Located):
    """The two keys of a candidates file (``kg extract``) the compiler ignores."""

    review: str | None = None  # candidate, accepted, rejected
    offsets: Span | None = None  # the quote's span in the normalized text


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity(_Reviewed):
    """An organization, place, project…: ``id`` is ``<kind>/<slug>``, ``types`` its classes' local names."""

    id: str
    types: tuple[str, ...]
    name: str
    quotes: tuple[str, ...]
    name_en: str | None = None
    aliases: tuple[str, ...] = ()
    note: str | None = None
    spans: tuple[Span, ...] = ()  # of each quote in the source text
    _YAML: ClassVar[Mapping[str, str]] = {"type": "types", "quote": "quotes"}

    def get(self, key: str, default: Any = None) -> Any:
        if key in ("type", "quote") and len(getattr(self, self._YAML[key])) == 1:
            return getattr(self, self._YAML[key])[0]  # one value: as the file most often writes it
        return Located.get(self, key, default)


@dataclass(frozen=True, slots=True, kw_only=True)
class Membership(_Reviewed):
    """``member`` belongs to ``organization`` with ``status`` active, planned or ended."""

    member: str
    organization: str
    status: str
    quote: str
    date: str | None = None
    role: str | None = None
    note: str | None = None
    span: Span | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Relation(_Reviewed):
    """``subject predicate object`` (an entity) or ``subject predicate value`` (a text)."""

    subject: str
    predicate: str
    quote: str
    object: str | None = None
    value: str | None = None
    status: str = "active"
    date: str | None = None
    note: str | None = None
    span: Span | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Chain(_Reviewed):
    """An incubation chain entity and its stages (entity ids, in order)."""

    chain: str
    stages: tuple[str, ...]
    quote: str
    note: str | None = None
    span: Span | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Indicator(_Reviewed):
    """A figure about an entity: ``value`` ``unit`` of ``metric``, with its measure and qualifier (余, 约…)."""

    about: str
    metric: str
    measure: str
    value: int | float
    unit: str
    quote: str
    metric_en: str | None = None
    qualifier: str = "exact"
    period: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    note: str | None = None
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class FactsFile:
    """One facts file: its source document and the valid items of each section."""

    path: Path
    source: Source
    entities: tuple[Entity, ...] = ()
    memberships: tuple[Membership, ...] = ()
    relations: tuple[Relation, ...] = ()
    chains: tuple[Chain, ...] = ()
    indicators: tuple[Indicator, ...] = ()


@dataclass(slots=True)
class Facts:
    """Validated facts of a directory: files in name order, entities by id."""

    files: list[FactsFile]
    entities: dict[str, Entity]

    def counts(self) -> dict[str, int]:
        """How many items each section holds over all files."""
        return {sec: sum(len(getattr(f, sec)) for f in self.files) for sec in SECTIONS}
