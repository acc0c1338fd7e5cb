"""What differs between Neo4j and FalkorDB on the load path: batch sizes, message caps, index DDL."""

from __future__ import annotations

from dataclasses import dataclass

from kg.errors import KgError

__all__ = ["Engine", "ENGINES", "INDEXED", "create_indexes"]


@dataclass(frozen=True)
class Engine:
    """Per-engine settings: rows per UNWIND batch and byte caps per message and per query's parameters."""

    name: str
    node_rows: int
    rel_rows: int
    max_bytes: int | None = None
    max_param_bytes: int | None = None  # parameters of one query, as JSON


ENGINES = {
    "neo4j": Engine("neo4j", 1000, 5000),
    # FalkorDB's own Bolt port: messages over ~3-4 KB crashed the server in our trial (FalkorDB 4.16.3);
    # a query's parameters over ~4.4 KB crash the whole server (the query text itself may be longer).
    "falkordb": Engine("falkordb", 40, 200, 3000, 3800),
    # FalkorDB through its native client, or our Bolt server in front of it: no such limit.
    "falkordb-native": Engine("falkordb-native", 2000, 5000),
}

#: The node properties every engine indexes on :Resource (``iri`` unique on Neo4j): anchors and names.
INDEXED = ("iri", "name", "name_zh", "name_en")


def _neo4j_indexes(existing: set[str]) -> list[str]:
    """Neo4j 5 / Aura: a uniqueness constraint on iri (which indexes it) and named, idempotent indexes."""
    del existing  # IF NOT EXISTS does it
    return [
        "CREATE CONSTRAINT kg_resource_iri IF NOT EXISTS FOR (n:Resource) REQUIRE n.iri IS UNIQUE",
        *(f"CREATE INDEX kg_resource_{p} IF NOT EXISTS FOR (n:Resource) ON (n.{p})" for p in INDEXED[1:]),
    ]


def _falkordb_indexes(existing: set[str]) -> list[str]:
    """FalkorDB: single-property range indexes, no names, no IF NOT EXISTS (creating one twice is an error)."""
    return [f"CREATE INDEX FOR (n:Resource) ON (n.{p})" for p in INDEXED if p not in existing]


def _existing(t, engine: str) -> set[str]:
    if engine != "falkordb":
        return set()
    try:
        rows = t.read("CALL db.indexes() YIELD label, properties RETURN label, properties", {})
    except KgError:
        return set()  # FalkorDB's own Bolt port may refuse the call: create what fails as "already indexed"
    return {p for r in rows if r["label"] == "Resource" for p in r["properties"] or []}


def create_indexes(t, engine: str) -> int:
    """Create the indexes of :data:`INDEXED` that ``engine`` lacks, through the transport ``t``; how many."""
    ddl = {"neo4j": _neo4j_indexes, "falkordb": _falkordb_indexes}[engine](_existing(t, engine))
    for stmt in ddl:
        try:
            t.write(stmt, {})
        except KgError as e:
            if "already indexed" not in str(e) and not (engine == "falkordb" and getattr(t, "falkordb_bolt", False)):
                raise
    return len(ddl)
