"""What the named queries share: the store they ask, status checks, and row handling (dedupe, order, subject)."""

from __future__ import annotations

import json
from typing import Any, Protocol

from kg.errors import KgError
from kg.model.names import Entity, NameIndex
from kg.queries import texts as q

__all__ = ["Store", "STATUS_CHOICES", "MEMBER_COLS", "subject", "dedupe", "sorted_rows", "number", "check_status",
           "edges_of"]

STATUS_CHOICES = ("active", "planned", "ended", "all")


class Store(Protocol):
    names: NameIndex

    def run(self, query: q.NamedQuery, **iris: str) -> list[dict[str, Any]]: ...


def subject(ent: Entity) -> dict[str, Any]:
    return {
        "iri": ent.iri,
        "name": ent.name,
        "name_en": ent.name_en,
        "aliases": list(ent.aliases),
        "types": list(ent.types),
        "matched_by": ent.matched_by,
    }


def _order(r: dict[str, Any]) -> str:
    return json.dumps(r, sort_keys=True, default=str, ensure_ascii=False)


def dedupe(rows: list[dict[str, Any]], key: tuple[str, ...]) -> list[dict[str, Any]]:
    """One row per ``key``, in a backend-independent order; extra evidence goes to ``more_evidence``."""
    seen: dict[tuple, dict[str, Any]] = {}
    for r in sorted(rows, key=_order):
        k = tuple(r.get(c) for c in key)
        if k in seen:
            seen[k].setdefault("more_evidence", []).append(r.get("quote"))
        else:
            seen[k] = dict(r)
    return list(seen.values())


def sorted_rows(rows: list[dict[str, Any]], *cols: str) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: tuple("" if r.get(c) is None else r[c] for c in cols))


def number(v: Any) -> int | float:
    """A decimal as a number, whether the backend sent a number or its lexical text."""
    f = float(v)
    return int(f) if f.is_integer() else f


def check_status(status: str) -> None:
    if status not in STATUS_CHOICES:
        raise KgError(f"unknown status {status!r}; use one of {', '.join(STATUS_CHOICES)}")


MEMBER_COLS = ["status", "since", "role", "quote", "source"]


def edges_of(store: Store, iri: str) -> list[tuple[str, dict[str, Any]]]:
    """(direction, row) for every edge touching ``iri``: '->' outgoing, '<-' incoming."""
    out = [("->", r) for r in store.run(q.EDGES_FROM, s=iri)]
    out += [("<-", r) for r in store.run(q.EDGES_TO, o=iri)]
    return out
