"""`kg neo4j export`: the property graph read back into RDF (the inverse of :func:`kg.stores.bolt.load`)."""

from __future__ import annotations

from kg.errors import KgError
from kg.stores.bolt.config import BoltConfig
from kg.stores.bolt.transports import connect

__all__ = ["export_triples", "export_rdf"]

_NODES = "MATCH (n:Resource) RETURN properties(n) AS p ORDER BY n.iri SKIP $skip LIMIT $limit"
_RELS = (
    "MATCH (a:Resource)-[r]->(b:Resource) RETURN a.iri AS s, type(r) AS t, b.iri AS o "
    "ORDER BY s, t, o SKIP $skip LIMIT $limit"
)


def _pages(t, query: str, page: int) -> list[dict]:
    out, skip = [], 0
    while True:
        rows = t.read(query, {"skip": skip, "limit": page})
        out.extend(rows)
        skip += page
        if len(rows) < page:
            return out


def export_triples(config: BoltConfig | None = None, page: int = 500) -> list:
    """Read the property graph back into RDF triples; the mapping needs nothing stored beside the graph."""
    from kg.pg import to_triples

    t = connect(config or BoltConfig.from_env())
    try:
        nodes, rels = _pages(t, _NODES, page), _pages(t, _RELS, page)
    finally:
        t.close()
    try:
        return to_triples([r["p"] for r in nodes], [(r["s"], r["t"], r["o"]) for r in rels])
    except ValueError as e:
        raise KgError(f"the graph is not one `kg neo4j load` wrote: {e}") from None


def export_rdf(config: BoltConfig | None = None, fmt: str = "nt") -> bytes:
    """The property graph read back as RDF, serialized as N-Triples (``nt``) or Turtle (``ttl``)."""
    import pyoxigraph as ox

    from kg.model.terms import PREFIXES

    formats = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE}
    if fmt not in formats:
        raise KgError(f"unknown format {fmt!r}; use nt or ttl")
    triples = sorted(export_triples(config), key=str)
    kw = {"prefixes": {k: v for k, v in PREFIXES.items() if k != "id"}} if fmt == "ttl" else {}
    return ox.serialize(triples, format=formats[fmt], **kw)
