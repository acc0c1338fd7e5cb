"""The name index on disk: ``names.sqlite`` beside ``names.json``, so one lookup needs no full index.

:class:`~kg.model.names.NameIndex` builds its dictionaries from every entity (and
computes the normalized key of every name) before it answers: 0.7 s for 26,000 entities,
more than a whole `kg members` should take. ``kg build`` writes the same index into SQLite
(one row per entity, one per lookup key, keys computed at build time), and
:class:`DiskNames` is a NameIndex whose lookups are indexed queries: resolution,
ambiguity, suggestions and labels are NameIndex's own code, so the answers are the same.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kg.errors import StoreDamaged
from kg.model.names import Entity, NameIndex
from kg.text import name_key

__all__ = ["DiskNames", "write_names_db"]

_SCHEMA = """
CREATE TABLE entity (n INTEGER PRIMARY KEY, iri TEXT UNIQUE, id TEXT, name TEXT, name_en TEXT, aliases TEXT,
                     types TEXT);
CREATE TABLE key (level TEXT, key TEXT, n INTEGER);
"""
_COLS = "iri, id, name, name_en, aliases, types"


def _keys(e: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(level, key) pairs of one entity, each once, as NameIndex files them."""
    seen = set()
    names = [e["name"], *e.get("aliases", ())]
    pairs = [("name", e["name"])] + [("alias", a) for a in e.get("aliases", ())]
    if e.get("name_en"):
        pairs.append(("english", e["name_en"].casefold()))
        names.append(e["name_en"])
    pairs += [("normalized", name_key(n)) for n in names if n]
    for p in pairs:
        if p not in seen:
            seen.add(p)
            yield p


def write_names_db(path: Path, entries: list[dict[str, Any]]) -> None:
    """Write the entries of ``names.json`` (in their order) to a new SQLite file at ``path``."""
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    try:
        con.executescript(_SCHEMA)
        con.executemany(
            f"INSERT INTO entity (n, {_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    n,
                    e["iri"],
                    e["id"],
                    e["name"],
                    e.get("name_en"),
                    json.dumps(e.get("aliases", []), ensure_ascii=False),
                    json.dumps(e.get("types", [])),
                )
                for n, e in enumerate(entries)
            ),
        )
        con.executemany(
            "INSERT INTO key (level, key, n) VALUES (?, ?, ?)",
            ((lvl, k, n) for n, e in enumerate(entries) for lvl, k in _keys(e)),
        )
        con.execute("CREATE INDEX key_lookup ON key (level, key)")
        con.commit()
    finally:
        con.close()


def _entity(row: tuple) -> Entity:
    iri, id_, name, name_en, aliases, types = row
    return Entity(iri, id_, name, name_en, tuple(json.loads(aliases)), tuple(json.loads(types)))


class _Db:
    """One read-only connection per process (a forked query worker opens its own).

    SQLite's errors on a damaged file ("file is not a database", "database disk image is
    malformed") become :class:`~kg.errors.StoreDamaged` for the store at ``store``.
    """

    def __init__(self, path: Path, store: Path | None = None):
        self.path = path
        self.store = store if store is not None else path.parent.parent
        self._pid = -1
        self._con: sqlite3.Connection | None = None

    def rows(self, sql: str, *args: Any) -> list[tuple]:
        try:
            con = self._con
            if con is None or self._pid != os.getpid():
                con = self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
                self._pid = os.getpid()
            return con.execute(sql, args).fetchall()
        except UnicodeEncodeError:  # typed text with undecodable bytes (surrogates) names nothing stored here
            return []
        except sqlite3.DatabaseError as e:
            self._pid = -1
            raise StoreDamaged(self.store, f"{self.path.name}: {e}") from None


class _ByIri(Mapping):
    def __init__(self, db: _Db):
        self.db = db

    def __getitem__(self, iri: str) -> Entity:
        rows = self.db.rows(f"SELECT {_COLS} FROM entity WHERE iri = ?", iri)
        if not rows:
            raise KeyError(iri)
        return _entity(rows[0])

    def __iter__(self) -> Iterator[str]:
        return (r[0] for r in self.db.rows("SELECT iri FROM entity ORDER BY n"))

    def __len__(self) -> int:
        return self.db.rows("SELECT count(*) FROM entity")[0][0]

    def values(self):  # one query, not one per entity
        return [_entity(r) for r in self.db.rows(f"SELECT {_COLS} FROM entity ORDER BY n")]

    def items(self):
        return [(e.iri, e) for e in self.values()]


class _Level(Mapping):
    def __init__(self, db: _Db, level: str):
        self.db, self.level = db, level

    def __getitem__(self, key: str) -> list[Entity]:
        rows = self.db.rows(
            f"SELECT {', '.join('e.' + c for c in _COLS.split(', '))} FROM key k JOIN entity e ON e.n = k.n "
            "WHERE k.level = ? AND k.key = ? ORDER BY k.rowid",
            self.level,
            key,
        )
        if not rows:
            raise KeyError(key)
        return [_entity(r) for r in rows]

    def __iter__(self) -> Iterator[str]:
        return (r[0] for r in self.db.rows("SELECT DISTINCT key FROM key WHERE level = ?", self.level))

    def __len__(self) -> int:
        return self.db.rows("SELECT count(DISTINCT key) FROM key WHERE level = ?", self.level)[0][0]


class DiskNames(NameIndex):
    """A :class:`NameIndex` answered from ``names.sqlite`` (same resolution, ambiguity and suggestions)."""

    def __init__(self, path: Path | str, store: Path | str | None = None):
        # no super().__init__(): it would build the whole index in memory
        db = _Db(Path(path), Path(store) if store is not None else None)
        # mappings that read the database instead of the dicts NameIndex builds (read-only, same lookups)
        self.by_iri = _ByIri(db)  # type: ignore[assignment]
        self._exact = {level: _Level(db, level) for level in ("name", "alias", "english", "normalized")}  # type: ignore[misc]
