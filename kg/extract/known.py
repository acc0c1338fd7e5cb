"""Entities already in the graph, as a multi-pattern matcher over their names and aliases.

The names come from the facts directory (the source of truth the graph is built from).
An alias too generic to name one thing outside its own article (园区, 党建联盟) only counts
when the article also names the entity in a way that is not generic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.extract.matcher import Matcher
from kg.text import match_key, name_key

__all__ = ["KnownEntity", "KnownEntities"]


@dataclass(frozen=True)
class KnownEntity:
    id: str
    name: str
    types: tuple[str, ...]
    aliases: tuple[str, ...] = ()

    @property
    def type(self) -> str:
        return self.types[0] if self.types else "Organization"


@dataclass
class KnownEntities:
    """Known entities and a matcher that finds their names in a sentence key."""

    entities: list[KnownEntity] = field(default_factory=list)

    def __post_init__(self):
        patterns: dict[str, list[KnownEntity]] = {}
        self.by_key: dict[str, list[KnownEntity]] = {}
        self.by_id = {e.id: e for e in self.entities}
        for e in self.entities:
            for n in (e.name, *e.aliases):
                for k in {match_key(n), name_key(n)}:
                    if k and e not in patterns.setdefault(k, []):
                        patterns[k].append(e)
                    if k and e not in self.by_key.setdefault(k, []):
                        self.by_key[k].append(e)
        self.matcher: Matcher[list[KnownEntity]] = Matcher(patterns)

    @classmethod
    def from_facts(cls, facts_dir: Path | str, sources_dir: Path | str | None = None) -> KnownEntities:
        """The entities of a facts directory (validated by :func:`kg.facts.load_facts`); none if it has no files."""
        from kg.facts import load_facts

        d = Path(facts_dir)
        if not d.is_dir() or not any(p.suffix in (".yaml", ".yml") for p in d.iterdir()):
            return cls([])
        facts = load_facts(d, Path(sources_dir) if sources_dir else None)
        return cls([_from_item(e) for e in facts.entities.values()])

    def lookup(self, name: str) -> list[KnownEntity]:
        """Entities carrying ``name`` (compared by name key) as name or alias."""
        return list(self.by_key.get(name_key(name), []))

    def __len__(self) -> int:
        return len(self.entities)


def _from_item(e) -> KnownEntity:
    types = e["type"] if isinstance(e["type"], list) else [e["type"]]
    return KnownEntity(e["id"], e["name"], tuple(types), tuple(e.get("aliases", [])))
