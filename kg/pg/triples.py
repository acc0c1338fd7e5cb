"""Property graph → RDF triples: the inverse of :mod:`kg.pg.projection`, from node property maps and relationships."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from kg.pg.mapping import DERIVED, RDF_TYPE, XSD, expand, preds_of, prop_of

__all__ = ["to_triples"]


def _node(ident: str):
    return ox.BlankNode(ident[2:]) if ident.startswith("_:") else ox.NamedNode(ident)


def _object(v: Any, lang: str | None, dt: str | None):
    if dt == "@id":
        return _node(expand(v))
    if dt:
        return ox.Literal(str(v), datatype=ox.NamedNode(expand(dt)))
    if lang:
        return ox.Literal(v, language=lang)
    if isinstance(v, bool):
        return ox.Literal("true" if v else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(v, int):
        return ox.Literal(str(v), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(v, float):
        return ox.Literal(repr(v), datatype=ox.NamedNode(XSD + "double"))
    return ox.Literal(str(v))


def to_triples(
    nodes: Iterable[dict[str, Any]], rels: Iterable[tuple[str, str, str]], schema: Iterable[dict[str, Any]] = ()
) -> list[ox.Triple]:
    """Rebuild the RDF triples from node property maps and relationships (``schema`` is not needed; accepted
    for callers that read it from a CSV export)."""
    out: dict[ox.Triple, None] = {}
    for n in nodes:
        s = _node(n["iri"])
        for c in n.get("types") or []:
            out[ox.Triple(s, ox.NamedNode(RDF_TYPE), ox.NamedNode(expand(c)))] = None
        for key, value in n.items():
            if key in DERIVED or key.endswith("_dt") and key[:-3] in n:
                continue
            pred, lang = prop_of(key, n["iri"])
            dt = n.get(f"{key}_dt")
            for v in value if isinstance(value, list) else [value]:
                out[ox.Triple(s, ox.NamedNode(pred), _object(v, lang, dt))] = None
    for a, t, b in rels:
        preds = preds_of(t)
        out[ox.Triple(_node(a), ox.NamedNode(preds[0]), _node(b))] = None
        for inv in preds[1:]:
            out[ox.Triple(_node(b), ox.NamedNode(inv), _node(a))] = None
    return list(out)
