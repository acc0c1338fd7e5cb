"""The SPARQL 1.1 Service Description answered at ``GET /sparql`` without a query: what the endpoint really does."""

from __future__ import annotations

import json
from dataclasses import dataclass

from kg import sparql as sp

__all__ = ["Described", "named_graphs", "describe"]

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
DCTERMS_TITLE = "http://purl.org/dc/terms/title"
#: the W3C format IRIs of the answers the endpoint gives (kg.sparql's format names -> formats: local names)
RESULT_FORMATS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
                  "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples",
                  "rdfxml": "RDF_XML"}
DEFAULT_GRAPH = ("The default graph, unless a request names one (default-graph-uri, or FROM in the query), "
                 "is the union (RDF merge) of all named graphs: one per source document, and the ontology. "
                 "The store's own default graph is empty. FROM and FROM NAMED only name graphs in the store; "
                 "nothing is fetched.")


@dataclass(frozen=True)
class Described:
    """What the description states about one endpoint (taken from its configuration, not assumed)."""

    endpoint: str
    writable: bool
    allow_service: bool
    timeout: float
    max_rows: int


def named_graphs(runner: sp.QueryRunner) -> list[str]:
    """The names of the store's named graphs, asked of the store through ``runner`` (sorted)."""
    res = runner.run(sp.Request("SELECT ?g WHERE { GRAPH ?g { } } ORDER BY ?g", "json", "SELECT"))
    return [b["g"]["value"] for b in json.loads(res.body)["results"]["bindings"] if b["g"]["type"] == "uri"]


def _triples(d: Described, graphs: list[str]) -> list[tuple]:
    """(subject, predicate, object) of the description; ``_:x`` is a blank node, a 1-tuple a literal."""
    s = d.endpoint
    out: list[tuple] = [(s, RDF_TYPE, SD + "Service"), (s, SD + "endpoint", s),
                        (s, SD + "supportedLanguage", SD + "SPARQL11Query"),
                        (s, SD + "feature", SD + "UnionDefaultGraph"),
                        (s, SD + "defaultEntailmentRegime", "http://www.w3.org/ns/entailment/Simple"),
                        (s, DCTERMS_TITLE, ("park-kg SPARQL endpoint",)),
                        (s, RDFS_COMMENT, (_limits(d),))]
    if d.writable:
        out.append((s, SD + "supportedLanguage", SD + "SPARQL11Update"))
    if d.allow_service:
        out.append((s, SD + "feature", SD + "BasicFederatedQuery"))
    out += [(s, SD + "resultFormat", FORMATS + name) for name in RESULT_FORMATS.values()]
    out += [(s, SD + "defaultDataset", "_:dataset"), ("_:dataset", RDF_TYPE, SD + "Dataset"),
            ("_:dataset", SD + "defaultGraph", "_:default"), ("_:default", RDF_TYPE, SD + "Graph"),
            ("_:default", RDFS_COMMENT, (DEFAULT_GRAPH,))]
    for i, g in enumerate(graphs):
        node = f"_:graph{i}"
        out += [("_:dataset", SD + "namedGraph", node), (node, RDF_TYPE, SD + "NamedGraph"), (node, SD + "name", g)]
    return out


def _limits(d: Described) -> str:
    mode = "accepts SPARQL Update with its token" if d.writable else "read-only: SPARQL Update is refused (403)"
    service = "SERVICE and LOAD allowed" if d.allow_service else "SERVICE and LOAD refused (403)"
    timeout = f"queries stopped after {d.timeout:g} s (503)" if d.timeout else "no query timeout"
    return (f"Compiled from the park-kg facts; {mode}; {service}; {timeout}; answers over {d.max_rows:,} rows or "
            "triples refused (422). The project prefixes (park:, id:, org:, prov:, skos:, …) are predeclared.")


def describe(d: Described, graphs: list[str], fmt: str) -> bytes:
    """The description serialized in ``fmt`` (a key of :data:`kg.sparql.GRAPH_FORMATS`)."""
    import pyoxigraph as ox

    def term(value):
        if isinstance(value, tuple):
            return ox.Literal(value[0])
        return ox.BlankNode(value[2:]) if value.startswith("_:") else ox.NamedNode(value)

    triples = [ox.Triple(term(s), ox.NamedNode(p), term(o)) for s, p, o in _triples(d, graphs)]
    formats = {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "nt": ox.RdfFormat.N_TRIPLES,
               "rdfxml": ox.RdfFormat.RDF_XML}
    prefixes = {"sd": SD, "formats": FORMATS, "dcterms": "http://purl.org/dc/terms/",
                "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
    return ox.serialize(triples, format=formats[fmt], prefixes=prefixes if fmt in ("turtle", "rdfxml") else None) or b""
