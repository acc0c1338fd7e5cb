"""The named queries' texts: one SPARQL and one Cypher text each, with the same output columns.

Prefixes are predeclared by the store (``kg.model.terms.PREFIXES``). Each bound
variable is projected by the SELECT: the embedded store writes its IRI into the text as
``<iri>`` and the projection as ``(<iri> AS ?var)`` (``kg.stores.embedded.inline_iris``:
Oxigraph evaluates substitutions only after the pattern, seconds at a million triples);
IRIs are checked by pyoxigraph and never come from free text. Cypher gets parameters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["NamedQuery", "MEMBERSHIPS", "DECLARED_MEMBER_COUNT", "EDGES_FROM", "EDGES_TO", "ALL_EDGES", "EDGE_ENDS",
           "CHAINS_OF", "CHAIN_STAGES", "ORGS", "INDICATORS", "LITERAL_FACTS", "CLASS_COUNTS",
           "PREDICATE_COUNTS", "INSIDE"]


@dataclass(frozen=True)
class NamedQuery:
    """A query with one SPARQL and one Cypher text; ``params`` are the variables callers may bind."""

    name: str
    sparql: str
    cypher: str = ""
    params: tuple[str, ...] = ()

    def cypher_for(self, bound: Iterable[str]) -> str:
        """The Cypher text anchored on the ``bound`` parameters: each other one's ``{iri: $p}`` map is dropped.

        >>> q = NamedQuery("q", "", "MATCH (a:Resource {iri: $a})-->(b:Resource {iri: $b}) RETURN b", ("a", "b"))
        >>> q.cypher_for({"a"})
        'MATCH (a:Resource {iri: $a})-->(b:Resource) RETURN b'
        """
        free = set(self.params) - set(bound)
        return _ANCHOR.sub(lambda m: "" if m[1] in free else m[0], self.cypher)


_ANCHOR = re.compile(r" \{iri: \$(\w+)\}")


_EVIDENCE = """
  ?_stmt prov:wasDerivedFrom ?_ev .
  ?_ev park:quote ?quote ; dcterms:source ?_doc .
  ?_doc park:fileName ?source .
"""


def _ev(var: str) -> str:
    return _EVIDENCE.replace("?_stmt", var)


# Oxigraph joins the triple patterns that follow a BIND or OPTIONAL as a separate block (a
# hash join over every match): evidence placed after them read all 90,000 evidence nodes
# of a 1M-triple graph for each query (members: 2.8 s). So every SPARQL text below puts all
# its required triple patterns, evidence included, before its first BIND, FILTER or OPTIONAL
# (8 ms). The answers are the same: those patterns share no variable with the OPTIONALs.


def _cev(var: str) -> str:
    """Cypher: the evidence quote and source file of the statement node ``var``."""
    return f"MATCH ({var})-[:WAS_DERIVED_FROM]->(ev:Evidence)-[:SOURCE]->(doc:SourceDocument)"


# Cypher reads the property graph of kg.pg: CURIE-valued properties such as status
# ('park:active') and predicate ('park:locatedIn') lose their prefix with substring(x, 5).
# Each text starts from its anchors, written `(x:Resource {iri: $p})`; NamedQuery.cypher_for drops the
# map of a parameter that is not bound, so every query reaches the server anchored on what it was
# given (an index seek on :Resource(iri)), never behind a catch-all `($p = '' OR x.iri = $p)` filter.
# Decimals (park:value) come back as their lexical text; the caller makes them numbers
# (FalkorDB's Bolt port sends floats as 32-bit: 10.4 arrived as 10.399999618530273).


# Memberships with status and evidence. Bind ?org (members of) or ?member (memberships of).
MEMBERSHIPS = NamedQuery(
    "memberships",
    """
SELECT ?member ?member_name ?member_en ?org ?org_name ?org_en ?status ?since ?role ?quote ?source WHERE {
  ?m a org:Membership ; org:member ?member ; org:organization ?org ; park:status ?st .
  ?member skos:prefLabel ?member_name_ .
  ?org skos:prefLabel ?org_name_ .
"""
    + _ev("?m")
    + """
  BIND(STRAFTER(STR(?st), "#") AS ?status)
  OPTIONAL { ?m park:since ?since_ } BIND(STR(?since_) AS ?since)
  OPTIONAL { ?m park:role ?role_ } BIND(STR(?role_) AS ?role)
  BIND(STR(?member_name_) AS ?member_name)
  OPTIONAL { ?member park:translatedLabel ?member_en_ } BIND(STR(?member_en_) AS ?member_en)
  BIND(STR(?org_name_) AS ?org_name)
  OPTIONAL { ?org park:translatedLabel ?org_en_ } BIND(STR(?org_en_) AS ?org_en)
} ORDER BY ?status ?org_name ?member_name""",
    f"""
MATCH (org:Resource {{iri: $org}})<-[:ORGANIZATION]-(m:Membership)-[:MEMBER]->(member:Resource {{iri: $member}})
{_cev("m")}
RETURN member.iri AS member, member.name_zh AS member_name, member.name_en AS member_en,
       org.iri AS org, org.name_zh AS org_name, org.name_en AS org_en, substring(m.status, 5) AS status,
       m.since AS since, m.role_zh AS role, ev.quote_zh AS quote, doc.fileName AS source""",
    ("org", "member"),
)

# The total number of members a source declares for ?org (e.g. 13 units, of which 4 are named).
DECLARED_MEMBER_COUNT = NamedQuery(
    "declared_member_count",
    """
SELECT ?org ?value ?unit ?quote ?source WHERE {
  ?i park:indicatorOf ?org ; park:measure park:memberCount ; park:value ?value ; park:unit ?unit_ .
"""
    + _ev("?i")
    + """  BIND(STR(?unit_) AS ?unit)
}""",
    f"""
MATCH (org:Resource {{iri: $org}})<-[:INDICATOR_OF]-(i:Indicator) WHERE i.measure = 'park:memberCount'
{_cev("i")}
RETURN org.iri AS org, i.value AS value, i.unit_zh AS unit, ev.quote_zh AS quote, doc.fileName AS source""",
    ("org",),
)

# Edges between entities: relation assertions, memberships and chain links, with status and evidence.
EDGE_BODY = """
  {
    ?stmt a park:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; park:status ?st .
    _EV
    FILTER(isIRI(?o))
  } UNION {
    ?stmt a org:Membership ; org:member ?s ; org:organization ?o ; park:status ?st .
    _EV
    BIND(IF(?st = park:active, org:memberOf, IF(?st = park:planned, park:plannedMemberOf, park:formerMemberOf)) AS ?p)
  } UNION {
    ?stmt park:hasStage ?st1 . ?st1 park:stageEntity ?s ; park:position ?i .
    ?stmt park:hasStage ?st2 . ?st2 park:stageEntity ?o ; park:position ?j .
    _EV
    FILTER(?j = ?i + 1)
    BIND(park:nextInChain AS ?p) BIND(park:active AS ?st)
  }
  BIND(STRAFTER(STR(?st), "#") AS ?status)
  BIND(IF(STRSTARTS(STR(?p), STR(park:)), STRAFTER(STR(?p), "#"), CONCAT("org:", STRAFTER(STR(?p), "#"))) AS ?predicate)
""".replace("_EV", _ev("?stmt").strip())
_EDGE_SELECT = "SELECT ?s ?predicate ?o ?status ?quote ?source WHERE {"
_ASSERTION_ENDS = "MATCH (s:Resource {iri: $s})<-[:SUBJECT]-(a:Assertion)-[:OBJECT]->(o:Resource {iri: $o})"
_MEMBERSHIP_ENDS = "MATCH (s:Resource {iri: $s})<-[:MEMBER]-(m:Membership)-[:ORGANIZATION]->(o:Resource {iri: $o})"
_CHAIN_ENDS = """MATCH (s:Resource {iri: $s})<-[:STAGE_ENTITY]-(st1:ChainStage)<-[:HAS_STAGE]-\
(c:Resource)-[:HAS_STAGE]->(st2:ChainStage)-[:STAGE_ENTITY]->(o:Resource {iri: $o}) \
WHERE st2.position = st1.position + 1"""
_EDGE_CYPHER = f"""
{_ASSERTION_ENDS}
{_cev("a")}
RETURN s.iri AS s, CASE WHEN a.predicate STARTS WITH 'park:' THEN substring(a.predicate, 5) ELSE a.predicate \
END AS predicate,
       o.iri AS o, substring(a.status, 5) AS status, ev.quote_zh AS quote, doc.fileName AS source
UNION ALL
{_MEMBERSHIP_ENDS}
{_cev("m")}
RETURN s.iri AS s, CASE m.status WHEN 'park:active' THEN 'org:memberOf' WHEN 'park:planned' THEN \
'plannedMemberOf' ELSE 'formerMemberOf' END AS predicate,
       o.iri AS o, substring(m.status, 5) AS status, ev.quote_zh AS quote, doc.fileName AS source
UNION ALL
{_CHAIN_ENDS}
{_cev("c")}
RETURN s.iri AS s, 'nextInChain' AS predicate, o.iri AS o, 'active' AS status, ev.quote_zh AS quote, \
doc.fileName AS source"""
_EDGE_SPARQL = _EDGE_SELECT + EDGE_BODY + "}"
EDGES_FROM = NamedQuery("edges_from", _EDGE_SPARQL, _EDGE_CYPHER, ("s", "o"))  # bind s
EDGES_TO = NamedQuery("edges_to", _EDGE_SPARQL, _EDGE_CYPHER, ("s", "o"))  # bind o
ALL_EDGES = NamedQuery("all_edges", _EDGE_SPARQL, _EDGE_CYPHER, ("s", "o"))

# The ends and status of every edge above, without evidence: what the shortest-path search needs
# (kg.queries.shortest). A server answers it in a fraction of ALL_EDGES's time (no evidence joins,
# a few bytes a row); the embedded store reads the same from edges.json instead.
EDGE_ENDS = NamedQuery(
    "edge_ends",
    """
SELECT DISTINCT ?s ?o ?status WHERE {
  { ?stmt a park:Assertion ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; park:status ?st . FILTER(isIRI(?o)) }
  UNION { ?stmt a org:Membership ; org:member ?s ; org:organization ?o ; park:status ?st . }
  UNION {
    ?c park:hasStage ?st1 . ?st1 park:stageEntity ?s ; park:position ?i .
    ?c park:hasStage ?st2 . ?st2 park:stageEntity ?o ; park:position ?j .
    FILTER(?j = ?i + 1) BIND(park:active AS ?st)
  }
  BIND(STRAFTER(STR(?st), "#") AS ?status)
}""",
    f"""
{_ASSERTION_ENDS} RETURN DISTINCT s.iri AS s, o.iri AS o, substring(a.status, 5) AS status
UNION
{_MEMBERSHIP_ENDS} RETURN DISTINCT s.iri AS s, o.iri AS o, substring(m.status, 5) AS status
UNION
{_CHAIN_ENDS} RETURN DISTINCT s.iri AS s, o.iri AS o, 'active' AS status""",
    ("s", "o"),
)

# Chains that ?x is part of (as the chain itself or as a stage).
CHAINS_OF = NamedQuery(
    "chains_of",
    """
SELECT DISTINCT ?x ?chain WHERE {
  { ?x park:hasStage ?any . BIND(?x AS ?chain) } UNION { ?chain park:hasStage/park:stageEntity ?x }
}""",
    """
MATCH (x:Resource {iri: $x})<-[:STAGE_ENTITY]-(:ChainStage)<-[:HAS_STAGE]-(c:Resource) \
RETURN DISTINCT x.iri AS x, c.iri AS chain
UNION
MATCH (c:Resource {iri: $x})-[:HAS_STAGE]->(:ChainStage) RETURN DISTINCT c.iri AS x, c.iri AS chain""",
    ("x",),
)

CHAIN_STAGES = NamedQuery(
    "chain_stages",
    """
SELECT ?chain ?chain_name ?position ?stage ?name ?name_en ?quote ?source WHERE {
  ?chain park:hasStage ?st ; skos:prefLabel ?chain_name_ .
  ?st park:position ?position ; park:stageEntity ?stage .
  ?stage skos:prefLabel ?name_ .
"""
    + _ev("?chain")
    + """  BIND(STR(?chain_name_) AS ?chain_name) BIND(STR(?name_) AS ?name)
  OPTIONAL { ?stage park:translatedLabel ?en_ } BIND(STR(?en_) AS ?name_en)
} ORDER BY ?position""",
    f"""
MATCH (c:Resource {{iri: $chain}})-[:HAS_STAGE]->(st:ChainStage)-[:STAGE_ENTITY]->(e:Resource)
{_cev("c")}
RETURN c.iri AS chain, c.name_zh AS chain_name, st.position AS position, e.iri AS stage, e.name_zh AS name,
       e.name_en AS name_en, ev.quote_zh AS quote, doc.fileName AS source""",
    ("chain",),
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
    """
MATCH (o:Organization) UNWIND o.types AS t
RETURN o.iri AS org, o.name_zh AS name, o.name_en AS name_en, t AS type""",
)

INDICATORS = NamedQuery(
    "indicators",
    """
SELECT ?x ?metric ?metric_en ?value ?unit ?qualifier ?period ?quote ?source WHERE {
  ?i park:indicatorOf ?x ; park:metric ?m ; park:value ?value ; park:unit ?u .
"""
    + _ev("?i")
    + """  FILTER(lang(?m) = "zh") BIND(STR(?m) AS ?metric) BIND(STR(?u) AS ?unit)
  OPTIONAL { ?i park:metric ?men FILTER(lang(?men) = "en") } BIND(STR(?men) AS ?metric_en)
  OPTIONAL { ?i park:qualifier ?q } BIND(STR(?q) AS ?qualifier)
  OPTIONAL { ?i park:period ?per } BIND(STR(?per) AS ?period)
} ORDER BY ?metric""",
    f"""
MATCH (x:Resource {{iri: $x}})<-[:INDICATOR_OF]-(i:Indicator)
{_cev("i")}
RETURN x.iri AS x, i.metric_zh AS metric, i.metric_en AS metric_en, i.value AS value, i.unit_zh AS unit,
       i.qualifier_zh AS qualifier, i.period_zh AS period, ev.quote_zh AS quote, doc.fileName AS source""",
    ("x",),
)

# Text-valued relations (distinction) of ?x.
LITERAL_FACTS = NamedQuery(
    "literal_facts",
    """
SELECT ?x ?predicate ?value ?status ?quote ?source WHERE {
  ?stmt a park:Assertion ; rdf:subject ?x ; rdf:predicate ?p ; rdf:object ?v ; park:status ?st .
"""
    + _ev("?stmt")
    + """  FILTER(isLiteral(?v)) BIND(STR(?v) AS ?value)
  BIND(STRAFTER(STR(?p), "#") AS ?predicate) BIND(STRAFTER(STR(?st), "#") AS ?status)
} ORDER BY ?predicate""",
    f"""
MATCH (x:Resource {{iri: $x}})<-[:SUBJECT]-(a:Assertion) WHERE a.object_zh IS NOT NULL
{_cev("a")}
RETURN x.iri AS x, substring(a.predicate, 5) AS predicate, a.object_zh AS value, substring(a.status, 5) AS status,
       ev.quote_zh AS quote, doc.fileName AS source""",
    ("x",),
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
    """
MATCH (p:Resource {iri: $park})<-[:PART_OF*0..]-(:Resource)<-[:LOCATED_IN|ESTABLISHED_IN|PART_OF]-(o:Resource)
RETURN DISTINCT p.iri AS park, o.iri AS org""",
    ("park",),
)
