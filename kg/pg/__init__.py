"""RDF ↔ property graph: the mapping behind the Bolt backend, reversible by construction.

Rules (documented for Cypher users in docs/cypher.md):

* every IRI (or blank node) that is the subject of a triple becomes a node with the labels
  ``Resource`` plus the local names of its classes and their superclasses (``Company``,
  ``FormalOrganization``, ``Organization``), and the properties ``iri`` and ``types`` (the
  asserted classes as CURIEs, e.g. ``park:Company``);
* a triple whose object is such a node becomes a relationship typed by the predicate's
  local name in UPPER_SNAKE case (``org:memberOf`` → ``MEMBER_OF``); a predicate outside
  park-kg's vocabulary (:data:`VOCAB`) keeps its CURIE or IRI as the type (```ex:knows```);
* one stored direction per relation (``one_direction=True``, as ``kg neo4j load`` does): a
  shortcut and its materialized inverse (``org:memberOf`` / ``org:hasMember``, :data:`INVERSES`)
  are one ``MEMBER_OF`` relationship; a shortcut whose inverse is missing keeps its CURIE as the type
  (```org:memberOf```), so reading back never invents a triple;
* a shortcut backed by a statement node (a membership, an assertion) carries that
  statement's ``status`` (``active``…), ``since``, ``role``, ``quote``, ``source`` and
  ``statement`` (its IRI) as relationship properties — derived, never read back;
* any other object becomes a node property keyed by the predicate's local name, with the
  language tag appended (``quote_zh``, ``metric_en``); ``skos:prefLabel@zh`` is ``name_zh``
  (and ``name``, its derived copy), ``park:translatedLabel@en`` is ``name_en`` and
  ``skos:altLabel@zh`` is the list ``aliases``. A predicate outside :data:`VOCAB` (or a
  language tag that is not two or three letters) is keyed ``<CURIE or IRI>@<lang>``.
  Repeated values become lists. Values whose type the property graph cannot carry
  (``xsd:decimal``, ``xsd:gYearMonth``, IRIs such as ``park:active``) are stored as text with a
  companion ``<key>_dt`` property holding the datatype CURIE (``@id`` for an IRI).

Keys and types are a function of the predicate alone, so :func:`to_triples` needs nothing
stored beside the graph (no bookkeeping nodes in ``MATCH (n)``).
"""

from kg.pg.mapping import INVERSES, VOCAB, compact, expand, prop_key, rel_type
from kg.pg.projection import Projection, PropertyGraph, by_predicate, project, to_property_graph
from kg.pg.triples import to_triples

__all__ = [
    "PropertyGraph",
    "to_property_graph",
    "project",
    "by_predicate",
    "Projection",
    "to_triples",
    "compact",
    "expand",
    "VOCAB",
    "INVERSES",
    "prop_key",
    "rel_type",
]
