"""SHACL on compiled documents: the shapes are the contract for the RDF (:mod:`kg.validate` runs pySHACL)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg.build.compile import ID, class_iris
from kg.progress import Progress
from kg.validate import ShaclError, validate_documents, validate_quads

__all__ = ["ShaclError", "check_documents", "shacl_validate"]


def check_documents(docs: dict[str, list[ox.Quad]], types: dict[str, Iterable[str]], progress: Progress | None) -> None:
    """Validate ``docs`` (quads by document IRI); ``types`` gives each entity id's types for references.

    Raises :class:`ShaclError` listing every violation.
    """

    def types_of(iri: str) -> list[str]:
        return class_iris(types.get(iri.removeprefix(ID), ()))

    validate_documents(docs, types_of, progress=progress)


def shacl_validate(quads: list[ox.Quad]) -> None:
    """Validate the compiled quads plus the ontology against ``ontology/shapes.ttl``."""
    validate_quads(quads)
