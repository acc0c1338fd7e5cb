"""Answering one request on an open Oxigraph store: dataset, evaluation, serialization, the row limit."""

from __future__ import annotations

import time
from typing import Any

from kg.model.terms import PREFIXES
from kg.sparql.check import keywords
from kg.sparql.errors import SparqlError
from kg.sparql.protocol import GRAPH_FORMATS, SOLUTION_FORMATS, TURTLE_PREFIXES, Request, Result

__all__ = ["execute", "resolve_graph", "display", "TooMany"]


class TooMany(Exception):
    pass


class Counted:
    """A binary sink for Oxigraph's TSV writer that stops once it has seen ``limit`` rows."""

    def __init__(self, limit: int | None):
        self.limit, self.lines, self.data = limit, 0, bytearray()

    def write(self, b) -> int:
        self.data += b
        self.lines += bytes(b).count(b"\n")
        if self.limit is not None and self.lines > self.limit + 1:  # + the header line
            raise TooMany()
        return len(b)

    def flush(self) -> None:
        pass


def display(term) -> str:
    """A term as a terminal shows it: prefixed IRIs, the text of literals."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for p, ns in PREFIXES.items():
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{p}:{term.value[len(ns):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def resolve_graph(store, name: str) -> str:
    """The named graph of a source document: its id (``xnbio-2024-07a``), ``id:doc/…``, IRI or file name."""
    graphs = [g.value for g in store.named_graphs()]
    doc = PREFIXES["id"] + "doc/"
    name = name.strip().strip("<>")
    cands = [name, doc + name.removeprefix("id:doc/")] if not name.startswith("http") else [name]
    for c in cands:
        if c in graphs:
            return c
    stem = name.removesuffix(".txt")
    for sol in store.query(
        "SELECT ?g ?f WHERE { GRAPH ?g { ?g park:fileName ?f } }", prefixes=PREFIXES
    ):
        if sol["f"].value.removesuffix(".txt") == stem:
            return sol["g"].value
    known = sorted(g.removeprefix(doc) for g in graphs if g.startswith(doc))
    raise SparqlError(f"no source document {name!r}; known documents: {', '.join(known) or '(none)'}")


def _dataset(store, req: Request) -> dict[str, Any]:
    import pyoxigraph as ox

    def iri(value: str, what: str):
        try:
            return ox.NamedNode(value)
        except ValueError as e:
            raise SparqlError(f"{what} {value!r} is not an IRI ({e})") from None

    kw: dict[str, Any] = {"prefixes": PREFIXES}
    # FROM / FROM NAMED: the query names its graphs (in the store; nothing is fetched)
    own_dataset = "FROM" in keywords(req.text)
    if req.graph:
        kw["default_graph"] = [ox.NamedNode(resolve_graph(store, req.graph))]
    elif req.default_graphs:
        kw["default_graph"] = [iri(g, "default-graph-uri") for g in req.default_graphs]
    elif not own_dataset:
        kw["use_default_graph_as_union"] = True
    if req.named_graphs:
        kw["named_graphs"] = [iri(g, "named-graph-uri") for g in req.named_graphs]
    return kw


def execute(store, req: Request) -> Result:
    """Answer ``req`` on an open pyoxigraph ``store`` (in the current process, without timeout)."""
    import pyoxigraph as ox

    t0 = time.perf_counter()
    if req.fmt == "update":
        store.update(req.text, prefixes=PREFIXES)
        return Result("UPDATE", "update", "text/plain", b"", seconds=time.perf_counter() - t0)
    answer = store.query(req.text, **_dataset(store, req))
    if isinstance(answer, ox.QueryBoolean):
        res = Result("ASK", req.fmt, boolean=bool(answer))
        if req.fmt != "rows":
            res.media_type, res.body = SOLUTION_FORMATS[req.fmt], answer.serialize(format=_results_format(req.fmt))
    elif isinstance(answer, ox.QuerySolutions):
        res = _solutions(answer, req)
    else:
        triples = []
        for t in answer:
            triples.append(t)
            if req.max_rows is not None and len(triples) > req.max_rows:
                raise TooMany()
        fmt = req.fmt if req.fmt in GRAPH_FORMATS else "turtle"
        prefixes = TURTLE_PREFIXES if fmt in ("turtle", "rdfxml") else None
        body = ox.serialize(triples, format=_rdf_format(fmt), prefixes=prefixes)
        form = req.form if req.form in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT"
        res = Result(form, fmt, GRAPH_FORMATS[fmt], body, count=len(triples))
    res.seconds = time.perf_counter() - t0
    return res


def _solutions(answer, req: Request) -> Result:
    import pyoxigraph as ox

    variables = [v.value for v in answer.variables]
    sink = Counted(req.max_rows)
    answer.serialize(sink, format=ox.QueryResultsFormat.TSV)
    tsv = bytes(sink.data)
    res = Result("SELECT", req.fmt, variables=variables, count=max(tsv.count(b"\n") - 1, 0))
    if req.fmt == "rows":
        sols = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
        res.rows = [{v: display(s[v]) for v in variables} for s in sols]
    elif req.fmt == "tsv":
        res.media_type, res.body = SOLUTION_FORMATS["tsv"], tsv
    else:
        sols = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
        res.media_type, res.body = SOLUTION_FORMATS[req.fmt], sols.serialize(format=_results_format(req.fmt))
    return res


def _results_format(fmt: str):
    import pyoxigraph as ox

    formats = ox.QueryResultsFormat
    return {"json": formats.JSON, "xml": formats.XML, "csv": formats.CSV, "tsv": formats.TSV}[fmt]


def _rdf_format(fmt: str):
    import pyoxigraph as ox

    f = ox.RdfFormat
    return {"turtle": f.TURTLE, "jsonld": f.JSON_LD, "nt": f.N_TRIPLES, "rdfxml": f.RDF_XML}[fmt]
