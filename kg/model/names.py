"""Name resolution: the one function every command uses to turn what a person typed into an entity.

Order: IRI or id → exact Chinese name → exact alias/简称 → English label (case-insensitive)
→ normalized match (width, spaces, quotation marks, traditional/simplified) → otherwise
:class:`~kg.errors.NotFound` with up to five suggestions. A name carried by several
entities at the same level raises :class:`~kg.errors.Ambiguous`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from kg.errors import Ambiguous, NotFound
from kg.model.terms import ID
from kg.text import name_key

__all__ = ["Entity", "NameIndex", "ID_BASE"]

ID_BASE = ID  # resources: ID_BASE + "<kind>/<slug>"


@dataclass(frozen=True)
class Entity:
    iri: str
    id: str
    name: str
    name_en: str | None
    aliases: tuple[str, ...]
    types: tuple[str, ...]
    matched_by: str = field(default="", compare=False)

    def with_match(self, how: str) -> Entity:
        return Entity(self.iri, self.id, self.name, self.name_en, self.aliases, self.types, how)


class NameIndex:
    """Entities by IRI, id, name, alias, English label and normalized key."""

    def __init__(self, entries: list[dict[str, Any]]):
        self.by_iri: dict[str, Entity] = {}
        self._exact: dict[str, dict[str, list[Entity]]] = {"name": {}, "alias": {}, "english": {}, "normalized": {}}
        for e in entries:
            ent = Entity(
                e["iri"], e["id"], e["name"], e.get("name_en"), tuple(e.get("aliases", ())), tuple(e.get("types", ()))
            )
            self.by_iri[ent.iri] = ent
            self._put("name", ent.name, ent)
            for a in ent.aliases:
                self._put("alias", a, ent)
            if ent.name_en:
                self._put("english", ent.name_en.casefold(), ent)
            for n in (ent.name, *ent.aliases, ent.name_en or ""):
                if n:
                    self._put("normalized", name_key(n), ent)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NameIndex:
        return cls(data["entities"])

    def _put(self, level: str, key: str, ent: Entity) -> None:
        bucket = self._exact[level].setdefault(key, [])
        if ent not in bucket:
            bucket.append(ent)

    def label(self, iri: str) -> str:
        ent = self.by_iri.get(iri)
        return ent.name if ent else iri

    def resolve(self, text: str) -> Entity:
        """The entity ``text`` names (see module docstring)."""
        q = text.strip()
        iri = q[1:-1] if q.startswith("<") and q.endswith(">") else q
        if iri.startswith("id:"):
            iri = ID_BASE + iri[3:]
        for candidate in (iri, ID_BASE + iri):
            if candidate in self.by_iri:
                return self.by_iri[candidate].with_match("iri")
        for level, key in (("name", q), ("alias", q), ("english", q.casefold()), ("normalized", name_key(q))):
            found = self._exact[level].get(key, [])
            if len(found) == 1:
                return found[0].with_match(level)
            if len(found) > 1:
                raise Ambiguous(text, [(e.iri, e.name) for e in found])
        raise NotFound(text, self.suggest(q))

    def suggest(self, text: str, n: int = 5) -> list[str]:
        """Up to ``n`` known names close to ``text``: containment first, then similarity."""
        key = name_key(text)
        names: dict[str, str] = {}  # normalized key -> displayed name
        for ent in self.by_iri.values():
            for nm in (ent.name, *ent.aliases, ent.name_en or ""):
                if nm:
                    names.setdefault(name_key(nm), nm)
        if not key:
            return []
        contained = sorted(
            (k for k in names if key in k or (len(k) > 1 and k in key)), key=lambda k: (abs(len(k) - len(key)), k)
        )
        similar = difflib.get_close_matches(key, list(names), n=n, cutoff=0.4)
        out: list[str] = []
        for k in [*contained, *similar]:
            if names[k] not in out:
                out.append(names[k])
        return out[:n]
