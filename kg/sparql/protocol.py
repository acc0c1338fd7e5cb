"""What a worker is asked and what it answers: :class:`Request`, :class:`Result`, and the formats offered."""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.model.terms import PREFIXES
from kg.sparql.check import Query
from kg.sparql.errors import SparqlError

__all__ = ["Request", "Result", "default_format", "SOLUTION_FORMATS", "GRAPH_FORMATS", "DEFAULT_TIMEOUT",
           "TURTLE_PREFIXES"]

#: formats for SELECT and ASK answers: name -> media type ("table" is the CLI's own)
SOLUTION_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: formats for CONSTRUCT and DESCRIBE answers
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}
DEFAULT_TIMEOUT = 30.0
#: prefixes written in Turtle output: all but ``id:``, whose IRIs hold a '/' that Turtle would escape
TURTLE_PREFIXES = {p: ns for p, ns in PREFIXES.items() if p != "id"}

@dataclass
class Request:
    """One query (or update) for a worker.

    ``fmt`` is a key of :data:`SOLUTION_FORMATS` or :data:`GRAPH_FORMATS`, or ``rows`` for
    plain rows (the CLI's table). ``graph`` names one source document (id, ``id:doc/…`` or
    IRI) whose named graph becomes the default graph; ``default_graphs``/``named_graphs``
    are the SPARQL Protocol's dataset IRIs. With none of them the default graph is the
    union of all named graphs.
    """

    text: str
    fmt: str = "json"
    form: str = "SELECT"
    graph: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int | None = None


@dataclass
class Result:
    """An answer: serialized ``body`` (``media_type``), or ``rows`` for fmt ``rows``; ``count`` rows/triples."""

    form: str
    fmt: str
    media_type: str = ""
    body: bytes = b""
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    boolean: bool | None = None
    count: int = 0
    seconds: float = 0.0

    @property
    def empty(self) -> bool:
        return self.boolean is None and self.count == 0


def default_format(query: Query, fmt: str | None, table: bool = False) -> str:
    """The format to answer ``query`` in; refuses a graph format for solutions and vice versa."""
    if query.form == "UPDATE":
        return "update"
    if fmt is None:
        return "turtle" if query.returns_graph else "rows" if table else "json"
    fmt = "rows" if fmt == "table" else fmt
    if query.returns_graph and fmt not in GRAPH_FORMATS:
        raise SparqlError(f"a {query.form} query returns a graph: use --format {'|'.join(GRAPH_FORMATS)}")
    if query.form in ("SELECT", "ASK") and fmt not in SOLUTION_FORMATS and fmt != "rows":
        what = "a boolean" if query.form == "ASK" else "solutions"
        raise SparqlError(f"a {query.form} query returns {what}: use --format table|{'|'.join(SOLUTION_FORMATS)}")
    return fmt
