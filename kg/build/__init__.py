"""Facts → RDF dataset → SHACL validation → a new store generation, swapped in atomically.

:mod:`kg.build.compile` turns records into quads (``docs/model.md`` is the mapping),
:mod:`kg.build.shacl` checks them against the shapes, :mod:`kg.build.generation` writes a
store generation, :mod:`kg.build.documents` keeps what an incremental build needs, and
:func:`build` (:mod:`kg.build.run`) runs them.
"""

from kg.build.compile import ID, compile_facts, compile_file, doc_iri, entity_iri
from kg.build.documents import ONTOLOGY_DIR, names_index
from kg.build.run import BuildReport, build
from kg.build.shacl import ShaclError, shacl_validate

__all__ = [
    "build",
    "BuildReport",
    "compile_facts",
    "compile_file",
    "names_index",
    "shacl_validate",
    "ShaclError",
    "ONTOLOGY_DIR",
    "ID",
    "entity_iri",
    "doc_iri",
]
