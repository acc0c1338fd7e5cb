"""The read-only check of `kg cypher`: refuse write clauses and unknown procedures outside literals."""

from __future__ import annotations

import re

from kg.errors import KgError

__all__ = ["check_read_only"]

_WRITE_WORDS = ("CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "FOREACH", "LOAD")
_READ_PROCEDURES = (
    "db.labels",
    "db.relationshiptypes",
    "db.propertykeys",
    "db.indexes",
    "dbms.components",
    "db.schema.visualization",
    "db.constraints",
)
_SKIP = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)


def _strip_literals(text: str) -> str:
    """``text`` with strings, quoted names and comments blanked, in one left-to-right pass (a ``//``
    inside a string is not a comment, and a quote inside a comment opens no string)."""
    return _SKIP.sub(lambda m: "''" if m.group()[0] in "'\"`" else " ", text)


def check_read_only(text: str) -> None:
    """Refuse a Cypher text that writes (outside string literals and comments), or calls an unknown procedure.

    >>> check_read_only("MATCH (n) WHERE n.name = 'SET' RETURN n")
    >>> check_read_only("MATCH (n) SET n.x = 1")
    Traceback (most recent call last):
    kg.errors.KgError: refused: the query contains SET, a write clause; run with --write to allow writes
    """
    code = _strip_literals(text).upper()
    for w in _WRITE_WORDS:
        if re.search(rf"\b{w}\b", code):
            if w == "LOAD":
                raise KgError(
                    "refused: the query loads files or URLs (LOAD CSV, apoc.load…): network access; "
                    "run with --write to allow it"
                )
            raise KgError(f"refused: the query contains {w}, a write clause; run with --write to allow writes")
    for proc in re.findall(r"\bCALL\s+([A-Z0-9_.]+)", code):
        if proc.lower() not in _READ_PROCEDURES:
            raise KgError(f"refused: CALL {proc.lower()} may write; run with --write to allow it")
    if re.search(r"\bCALL\s*\{", code):
        raise KgError("refused: CALL { … } subqueries may write; run with --write to allow them")
