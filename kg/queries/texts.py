"""The named queries' texts. Each has the same output variables on every backend.

Prefixes are predeclared by the store (``kg.stores.embedded.PREFIXES``); parameters are
bound by substitution, never pasted into the text (Oxigraph substitutes only variables
that the SELECT projects, so each bound variable is projected too).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NamedQuery", "MEMBERSHIPS", "DECLARED_MEMBER_COUNT", "EDGES_FROM", "EDGES_TO", "ALL_EDGES",
           "CHAINS_OF", "CHAIN_STAGES", "ORGS", "INDICATORS", "LITERAL_FACTS", "CLASS_COUNTS",
           "PREDICATE_COUNTS", "INSIDE"]


@dataclass(frozen=True)
class NamedQuery:
    name: str
    sparql: str


_EVIDENCE = """
  ?_stmt prov:wasDerivedFrom ?_ev .
  ?_ev park:quote ?quote ; dcterms:source ?_doc .
  ?_doc park:fileName ?source .
"""


def _ev(var: str) -> str:
    return _EVIDENCE.replace("?_stmt", var)


# Memberships with status and evidence. Bind ?org (members of) or ?member (memberships of).
MEMBERSHIPS = NamedQuery(
    "memberships",
    """
SELECT ?member ?member_name ?member_en ?org ?org_name ?org_en ?status ?since ?role ?quote ?source WHERE {
  ?m a org:Membership ; org:member ?member ; org:organization ?org ; park:status ?st .
  BIND(STRAFTER(STR(?st), "#") AS ?status)
  OPTIONAL { ?m park:since ?since_ } BIND(STR(?since_) AS ?since)
  OPTIONAL { ?m park:role ?role_ } BIND(STR(?role_) AS ?role)
  ?member skos:prefLabel ?member_name_ . BIND(STR(?member_name_) AS ?member_name)
  OPTIONAL { ?member park:translatedLabel ?member_en_ } BIND(STR(?member_en_) AS ?member_en)
  ?org skos:prefLabel ?org_name_ . BIND(STR(?org_name_) AS ?org_name)
  OPTIONAL { ?org park:translatedLabel ?org_en_ } BIND(STR(?org_en_) AS ?org_en)
"""
    + _ev("?m")
    + """} ORDER BY ?status ?org_name ?member_name""",
)

# The total number of members a source declares for ?org (e.g. 13 units, of which 4 are named).
DECLARED_MEMBER_COUNT = NamedQuery(
    "declared_member_count",
    """
SELECT ?org ?value ?unit ?quote ?source WHERE {
  ?i park:indicatorOf ?org ; park:measure park:memberCount ; park:value ?value ; park:unit ?unit_ .
  BIND(STR(?unit_) AS ?unit)
"""
    + _ev("?i")
    + "}",
)

# Edges between entities: relation assertions, memberships and chain links, with status and evidence.
_EDGE_BODY = """
  {
    ?stmt a park:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; park:status ?st .
    FILTER(isIRI(?o))
  } UNION {
    ?stmt a org:Membership ; org:member ?s ; org:organization ?o ; park:status ?st .
    BIND(IF(?st = park:active, org:memberOf, IF(?st = park:planned, park:plannedMemberOf, park:formerMemberOf)) AS ?p)
  } UNION {
    ?stmt park:hasStage ?st1 . ?st1 park:stageEntity ?s ; park:position ?i .
    ?stmt park:hasStage ?st2 . ?st2 park:stageEntity ?o ; park:position ?j .
    FILTER(?j = ?i + 1)
    BIND(park:nextInChain AS ?p) BIND(park:active AS ?st)
  }
  BIND(STRAFTER(STR(?st), "#") AS ?status)
  BIND(IF(STRSTARTS(STR(?p), STR(park:)), STRAFTER(STR(?p), "#"), CONCAT("org:", STRAFTER(STR(?p), "#"))) AS ?predicate)
"""
_EDGE_SELECT = "SELECT ?s ?predicate ?o ?status ?quote ?source WHERE {"
EDGES_FROM = NamedQuery("edges_from", _EDGE_SELECT + _EDGE_BODY + _ev("?stmt") + "}")  # bind ?s
EDGES_TO = NamedQuery("edges_to", _EDGE_SELECT + _EDGE_BODY + _ev("?stmt") + "}")  # bind ?o
ALL_EDGES = NamedQuery("all_edges", _EDGE_SELECT + _EDGE_BODY + _ev("?stmt") + "}")

# Chains that ?x is part of (as the chain itself or as a stage).
CHAINS_OF = NamedQuery(
    "chains_of",
    """
SELECT DISTINCT ?x ?chain WHERE {
  { ?x park:hasStage ?any . BIND(?x AS ?chain) } UNION { ?chain park:hasStage/park:stageEntity ?x }
}""",
)

CHAIN_STAGES = NamedQuery(
    "chain_stages",
    """
SELECT ?chain ?chain_name ?position ?stage ?name ?name_en ?quote ?source WHERE {
  ?chain park:hasStage ?st ; skos:prefLabel ?chain_name_ . BIND(STR(?chain_name_) AS ?chain_name)
  ?st park:position ?position ; park:stageEntity ?stage .
  ?stage skos:prefLabel ?name_ . BIND(STR(?name_) AS ?name)
  OPTIONAL { ?stage park:translatedLabel ?en_ } BIND(STR(?en_) AS ?name_en)
"""
    + _ev("?chain")
    + "} ORDER BY ?position",
)

# Organizations with each asserted class (the caller keeps the most specific one).
ORGS = NamedQuery(
    "orgs",
    """
SELECT ?org ?name ?name_en ?type WHERE {
  ?org a ?cls . ?cls rdfs:subClassOf* org:Organization .
  ?org skos:prefLabel ?name_ . BIND(STR(?name_) AS ?name)
  OPTIONAL { ?org park:translatedLabel ?en_ } BIND(STR(?en_) AS ?name_en)
  BIND(STRAFTER(STR(?cls), "#") AS ?type)
}""",
)

INDICATORS = NamedQuery(
    "indicators",
    """
SELECT ?x ?metric ?metric_en ?value ?unit ?qualifier ?period ?quote ?source WHERE {
  ?i park:indicatorOf ?x ; park:metric ?m ; park:value ?value ; park:unit ?u .
  FILTER(lang(?m) = "zh") BIND(STR(?m) AS ?metric) BIND(STR(?u) AS ?unit)
  OPTIONAL { ?i park:metric ?men FILTER(lang(?men) = "en") } BIND(STR(?men) AS ?metric_en)
  OPTIONAL { ?i park:qualifier ?q } BIND(STR(?q) AS ?qualifier)
  OPTIONAL { ?i park:period ?per } BIND(STR(?per) AS ?period)
"""
    + _ev("?i")
    + "} ORDER BY ?metric",
)

# Text-valued relations (distinction) of ?x.
LITERAL_FACTS = NamedQuery(
    "literal_facts",
    """
SELECT ?x ?predicate ?value ?status ?quote ?source WHERE {
  ?stmt a park:Assertion ; rdf:subject ?x ; rdf:predicate ?p ; rdf:object ?v ; park:status ?st .
  FILTER(isLiteral(?v)) BIND(STR(?v) AS ?value)
  BIND(STRAFTER(STR(?p), "#") AS ?predicate) BIND(STRAFTER(STR(?st), "#") AS ?status)
"""
    + _ev("?stmt")
    + "} ORDER BY ?predicate",
)

CLASS_COUNTS = NamedQuery(
    "class_counts",
    """
SELECT ?class ?label_zh (COUNT(DISTINCT ?x) AS ?count) WHERE {
  GRAPH ?g { ?x a ?c } FILTER(?g != <https://w3id.org/park-kg/ontology>)
  BIND(IF(STRSTARTS(STR(?c), STR(park:)), CONCAT("park:", STRAFTER(STR(?c), "#")),
       IF(STRSTARTS(STR(?c), STR(org:)), CONCAT("org:", STRAFTER(STR(?c), "#")), STR(?c))) AS ?class)
  OPTIONAL { ?c rdfs:label ?l FILTER(lang(?l) = "zh") } BIND(STR(?l) AS ?label_zh)
} GROUP BY ?class ?label_zh ORDER BY DESC(?count) ?class""",
)

PREDICATE_COUNTS = NamedQuery(
    "predicate_counts",
    """
SELECT ?predicate (COUNT(*) AS ?count) WHERE {
  GRAPH ?g { ?s ?p ?o } FILTER(?g != <https://w3id.org/park-kg/ontology>)
  BIND(STR(?p) AS ?predicate)
} GROUP BY ?predicate ORDER BY DESC(?count) ?predicate""",
)

# Organizations located in, established in or part of ?park (active relations only).
INSIDE = NamedQuery(
    "inside",
    """
SELECT DISTINCT ?park ?org WHERE { ?org (park:locatedIn|park:establishedIn|park:partOf)/park:partOf* ?park . }""",
)
