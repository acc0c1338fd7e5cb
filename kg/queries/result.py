"""What a query returns: named tables of plain rows, plus notes for the reader."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Table", "Report"]


@dataclass
class Table:
    name: str
    columns: list[str]
    rows: list[dict[str, Any]]
    title: str = ""


@dataclass
class Report:
    """The answer of one command: one or more tables, notes, and the entity it is about."""

    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    subject: dict[str, Any] | None = None

    @property
    def empty(self) -> bool:
        return not any(t.rows for t in self.tables)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.subject:
            out["subject"] = self.subject
        for t in self.tables:
            out[t.name] = [{c: r.get(c) for c in t.columns} for r in t.rows]
        if self.notes:
            out["notes"] = self.notes
        return out
