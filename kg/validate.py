"""SHACL validation of compiled documents: the shapes run as SPARQL inside Oxigraph (kg.shacl_sparql).

Why (docs/benchmarks.md, "SHACL"): pySHACL's results (tests/test_shacl_sparql.py) in 0.25× the build's
time at 207k quads, where pySHACL took ≈ 10×; of the Rust engines on PyPI only pyshacl-turbo matched
those results, and it was slower on our shapes.

The documents' quads go into an in-memory Oxigraph store with the ontology and the
``rdf:type`` triples of every entity they mention that another document defines, so
``sh:class`` checks on cross-document references still hold; each shape's constraints are then
answered for every focus node at once. Only results whose focus node is a subject the
documents themselves type count: an entity that is there only through its type is validated
with the document that defines it. A rebuild validates only the documents that changed (see
:mod:`kg.build`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.progress import Progress, reporter
from kg.shacl_sparql import Check, Violation, compile_shapes, run_checks

__all__ = ["ShaclError", "validate_quads", "validate_documents", "violations", "BATCH_QUADS"]

ONTOLOGY_DIR = Path(__file__).resolve().parent / "ontology"  # a link to the top-level ontology/, package data
BATCH_QUADS = 10_000  # validations of more quads than this report their progress
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
ID = "https://w3id.org/park-kg/id/"
_ONTOLOGY_GRAPH = ox.NamedNode("urn:park-kg:shacl:ontology")
_CONTEXT_GRAPH = ox.NamedNode("urn:park-kg:shacl:context")


class ShaclError(KgError):
    """The compiled graph violates the SHACL shapes."""


@functools.lru_cache(maxsize=4)
def _checks(shapes: Path) -> list[Check]:
    return compile_shapes(shapes)


def violations(
    quads: Iterable[ox.Quad], context: Iterable[ox.Triple] = (), *, progress: Progress | None = None
) -> list[Violation]:
    """Every SHACL violation of ``quads`` + ``context`` + the ontology, against ``ontology/shapes.ttl``."""
    store = ox.Store()
    store.bulk_extend(quads)  # queried with the default graph as the union of all graphs
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, _CONTEXT_GRAPH) for t in context)
    store.bulk_load(path=str(ONTOLOGY_DIR / "park.ttl"), format=ox.RdfFormat.TURTLE, to_graph=_ONTOLOGY_GRAPH)
    report = reporter(progress)
    checks = _checks(ONTOLOGY_DIR / "shapes.ttl")
    out: list[Violation] = []
    for i, check in enumerate(checks, 1):
        out += run_checks(store, [check])
        if i * 10 // len(checks) != (i - 1) * 10 // len(checks):  # a tenth of the checks is done
            report("SHACL", i, len(checks), "checks")
    return out


def _fail(found: Iterable[Violation]) -> None:
    lines = sorted(v.line() for v in found)
    if lines:
        raise ShaclError("the compiled graph violates the SHACL shapes:\n" + "\n".join(lines))


def validate_quads(quads: list[ox.Quad]) -> None:
    """Validate ``quads`` (a whole dataset) with the ontology against ``ontology/shapes.ttl``."""
    _fail(violations(quads))


def validate_documents(
    docs: dict[str, list[ox.Quad]],
    types_of: Callable[[str], Iterable[str]],
    *,
    batch_quads: int = BATCH_QUADS,
    progress: Progress | None = None,
) -> None:
    """Validate the documents' quads (by document IRI) together.

    ``types_of(iri)`` gives the class IRIs of an entity defined in another document; they
    go in as context so references to it are checked. Raises :class:`ShaclError` listing
    every violation; progress is reported (phase ``"SHACL"``) when there are more than
    ``batch_quads`` quads.
    """
    quads = [q for doc in sorted(docs) for q in docs[doc]]
    own = {q.subject.value for q in quads if q.predicate == RDF_TYPE}  # what these documents define
    terms = (t for q in quads for t in (q.subject, q.object))
    mentioned = {t.value for t in terms if isinstance(t, ox.NamedNode) and t.value.startswith(ID)}
    context = [ox.Triple(ox.NamedNode(iri), RDF_TYPE, ox.NamedNode(c))
               for iri in sorted(mentioned - own) for c in types_of(iri)]
    found = violations(quads, context, progress=progress if len(quads) > batch_quads else None)
    _fail(v for v in found if v.focus in own)
