"""What ``kg stats`` shows, counted by ``kg build`` and recorded in the generation's manifest.

``kg stats`` runs two ``GROUP BY`` queries over every quad (:data:`kg.queries.texts.CLASS_COUNTS`,
:data:`~kg.queries.texts.PREDICATE_COUNTS`): 5 s at 1M quads, 104 s at 10M. A build knows
the answer for little: the quads of each predicate are counted as the documents stream into
the store (0.2 s of CPU a million quads), the distinct members of each class by the store
once the quads are in (one grouped query on the type triples, 0.1–0.2 s at 1M). An
incremental build corrects the record by the graphs it replaces, read from the store
before and after. The record is part of the sealed manifest, so it is written with the
generation and never disagrees with it; :func:`answer` gives the two queries' rows from it
(labels read from the store, a handful of indexed lookups) and None when it cannot vouch
for them — no record (a store built before it) or a store written to since its build —
and the caller runs the queries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kg.model.terms import ONTOLOGY_IRI, PREFIXES

__all__ = ["RECORD", "QUERIES", "count_predicates", "class_counts", "predicate_counts", "graph_predicates", "answer"]

RECORD = "stats"  # the manifest's key
QUERIES = ("class_counts", "predicate_counts")  # the named queries the record answers
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

_CLASSES = f"""SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  GRAPH ?g {{ ?x a ?c }} FILTER(?g != <{ONTOLOGY_IRI}>) }} GROUP BY ?c"""
_PREDICATES = f"""SELECT ?p (COUNT(*) AS ?n) WHERE {{
  GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ONTOLOGY_IRI}>) }} GROUP BY ?p"""


def count_predicates(quads: Iterable, into: Counter) -> None:
    """Add the predicates of ``quads`` (distinct pyoxigraph quads of document graphs) to ``into``."""
    into.update(q.predicate for q in quads)


def _grouped(store, query: str) -> dict[str, int] | None:
    import pyoxigraph as ox

    out = {}
    for row in store.query(query):
        if not isinstance(row[0], ox.NamedNode):  # a literal as a class: leave it to the query
            return None
        out[row[0].value] = int(row[1].value)
    return out


def class_counts(store) -> dict[str, int] | None:
    """Class IRI → its distinct members in the document graphs, counted by the (open, writable or not) store."""
    return _grouped(store, _CLASSES)


def predicate_counts(store) -> dict[str, int] | None:
    """Predicate IRI → quads in the document graphs, counted by the store (1–2 s at 1M quads)."""
    return _grouped(store, _PREDICATES)


def graph_predicates(store, graphs: Iterable[str]) -> Counter:
    """Predicate IRI → quads in the named graphs ``graphs`` of the store (an incremental build's few)."""
    import pyoxigraph as ox

    out: Counter = Counter()
    for g in graphs:
        out.update(q.predicate.value for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
    return out


def _compact(iri: str) -> str:
    """The class as CLASS_COUNTS writes it: ``park:X``, ``org:X`` or the IRI."""
    for prefix in ("park", "org"):
        if iri.startswith(PREFIXES[prefix]):
            return f"{prefix}:{iri.split('#', 1)[1]}"
    return iri


def _labels(store, iri: str) -> list[str | None]:
    """The distinct Chinese labels of ``iri`` in any graph, or ``[None]`` (the query's OPTIONAL)."""
    import pyoxigraph as ox

    found: set[str | None] = {
        q.object.value
        for q in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(_RDFS_LABEL), None)
        if isinstance(q.object, ox.Literal) and q.object.language == "zh"
    }
    return sorted(found, key=str) or [None]


def answer(name: str, manifest: dict[str, Any], generation: Path, store) -> list[dict[str, Any]] | None:
    """The rows the named query ``name`` (one of :data:`QUERIES`) would give, from the build's record;
    None when there is no record or the store was written to after its build (then run the query).

    ``store`` returns the open pyoxigraph store (called only for the class labels).
    """
    from kg.stores.integrity import written_since

    rec = manifest.get(RECORD)
    if name not in QUERIES or not isinstance(rec, dict) or "integrity" not in manifest:
        return None
    if written_since(generation, manifest["integrity"]):
        return None
    if name == "predicate_counts":
        rows = [{"predicate": p, "count": n} for p, n in rec["predicates"].items() if n]
        return sorted(rows, key=lambda r: (-r["count"], r["predicate"]))
    rows = [
        {"class": _compact(c), "label_zh": label, "count": n}
        for c, n in rec["classes"].items()
        if n
        for label in _labels(store(), c)
    ]
    return sorted(rows, key=lambda r: (-r["count"], r["class"]))
