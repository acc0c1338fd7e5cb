"""BoltStore: the named queries (``run``), name resolution (``names``) and analysts' Cypher over Bolt."""

from __future__ import annotations

from typing import Any

from kg.errors import KgError
from kg.stores.bolt import falkordb
from kg.stores.bolt.config import BoltConfig
from kg.stores.bolt.guard import check_read_only
from kg.stores.bolt.transports import connect

__all__ = ["BoltStore"]

_NAMES = """
MATCH (n:Resource) WHERE n.name_zh IS NOT NULL AND n.iri STARTS WITH $base
RETURN n.iri AS iri, n.name_zh AS name, n.name_en AS name_en, n.aliases AS aliases, n.types AS types"""


def _number(v: Any) -> Any:
    return int(v) if isinstance(v, float) and v.is_integer() else v


class BoltStore:
    """Read access to the property graph for the named queries and name resolution; a fixed snapshot
    for its lifetime as far as ``names`` and ``edge_ends`` go (both are read once)."""

    name = "bolt"

    def __init__(self, config: BoltConfig | None = None, **overrides: Any):
        self.config = config or BoltConfig.from_env(**overrides)
        self.t = connect(self.config)
        self._names = None
        self._ends: list[tuple[str, str, str]] | None = None

    @property
    def names(self):
        """The :class:`~kg.model.names.NameIndex` of every named resource in the graph (read once)."""
        from kg.model.names import ID_BASE, NameIndex

        if self._names is None:
            entries = []
            for r in self.t.read(_NAMES, {"base": ID_BASE}):
                types = [str(t).rsplit(":", 1)[-1].rsplit("#", 1)[-1] for t in (r["types"] or [])]
                entries.append(
                    {
                        "iri": r["iri"],
                        "id": r["iri"][len(ID_BASE) :],
                        "name": r["name"],
                        "name_en": r["name_en"],
                        "aliases": sorted(r["aliases"] or []),
                        "types": types,
                    }
                )
            if not entries:
                raise KgError(f"the graph at {self.config.safe_uri} is empty: load it with `kg neo4j load`")
            self._names = NameIndex(entries)
        return self._names

    def run(self, query, **iris: str) -> list[dict[str, Any]]:
        """A named query, anchored on the IRIs given (an unbound parameter drops its anchor from the text)."""
        if not query.cypher:
            raise KgError(f"the {query.name} query has no Cypher text; use --backend store")
        params = {p: iris[p] for p in query.params if iris.get(p)}
        return [{k: _number(v) for k, v in r.items()} for r in self.t.read(query.cypher_for(params), params)]

    def edge_ends(self, query) -> list[tuple[str, str, str]]:
        """(s, o, status) of every edge the path search walks, by its ``query`` (kg.queries.texts.EDGE_ENDS),
        read once per store (kg.queries.shortest)."""
        if self._ends is None:
            self._ends = [(r["s"], r["o"], r["status"]) for r in self.run(query)]
        return self._ends

    def cypher(self, text: str, params: dict[str, Any], write: bool = False) -> list[dict[str, Any]]:
        """An analyst's query; writes are refused unless ``write`` (see :func:`check_read_only`)."""
        if write:
            return self.t.write(text, params)
        check_read_only(text)
        try:
            return self.t.read(text, params)
        except KgError:
            if getattr(self.t, "falkordb_bolt", False):
                falkordb.explain_failure(self.config, text)
            raise

    def close(self) -> None:
        self.t.close()
