"""Push the dataset to a SPARQL server through the SPARQL 1.1 Graph Store HTTP Protocol.

Each source document's named graph (and the ontology's) is sent with one ``PUT
<endpoint>?graph=<graph IRI>`` of N-Triples, which replaces that graph on the server: a
push is idempotent, and pushing again after a rebuild replaces what changed. With
``prune_query_url`` (a SPARQL query endpoint of the same server) the document graphs the
server has and the store no longer has — documents removed from ``seeds/`` — are deleted
with ``DELETE <endpoint>?graph=…``; graphs outside park-kg's document namespace are never
touched. Any store
that implements the protocol takes it (Oxigraph server: ``http://host:7878/store``;
Apache Jena Fuseki: ``http://host:3030/<dataset>/data``; GraphDB:
``http://host:7200/repositories/<repo>/rdf-graphs/service``). Only the standard library
speaks HTTP here.

:class:`RemoteSparql` asks the named queries of :mod:`kg.queries` of a SPARQL 1.1 query
endpoint, so the pushed copy answers ``members``, ``path``… like the embedded store
(the server must use the union of its named graphs as the default graph, as Oxigraph's
``--union-default-graph`` does).
"""

from __future__ import annotations

import base64
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import KgError

__all__ = ["PushReport", "push_store", "RemoteSparql", "DOCUMENT_GRAPHS"]


@dataclass
class PushReport:
    endpoint: str
    graphs: int
    triples: int
    seconds: float
    bytes: int
    removed: list[str] = field(default_factory=list)  # document graphs deleted on the server (prune)

    @property
    def triples_per_second(self) -> float:
        return self.triples / self.seconds if self.seconds else 0.0


def _request(url: str, method: str, data: bytes | None, headers: dict[str, str], auth: tuple[str, str] | None, timeout: float) -> bytes:
    req = urllib.request.Request(url, data=data, method=method, headers=dict(headers))
    if auth:
        req.add_header("Authorization", "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - the user's own endpoint
            return resp.read()
    except urllib.error.HTTPError as e:
        body = e.read().decode("utf-8", "replace").strip().splitlines()
        raise KgError(f"{method} {url.split('?')[0]} failed: HTTP {e.code} {e.reason}" + (f": {body[0][:200]}" if body else "")) from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise KgError(f"cannot reach the SPARQL server at {url.split('?')[0]}: {reason}") from None


def _check_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise KgError(f"{url!r} is not an http(s) URL of a Graph Store endpoint (e.g. http://127.0.0.1:7878/store)")
    return url


DOCUMENT_GRAPHS = "https://w3id.org/park-kg/id/doc/"  # the namespace of the source documents' graphs


def push_store(store_path: Path | str, endpoint: str, *, ontology: bool = True, auth: tuple[str, str] | None = None,
               timeout: float = 300.0, progress: Callable[[int, int], None] | None = None,
               prune_query_url: str | None = None) -> PushReport:
    """PUT every named graph of the built store to ``endpoint`` (a Graph Store HTTP Protocol URL);
    with ``prune_query_url``, then DELETE the server's document graphs the store does not have."""
    import pyoxigraph as ox

    from kg.stores.embedded import ONTOLOGY_GRAPH, EmbeddedStore

    endpoint = _check_url(endpoint)
    store = EmbeddedStore(store_path).ox
    graphs = sorted((g for g in store.named_graphs() if ontology or g.value != ONTOLOGY_GRAPH), key=lambda g: g.value)
    sep = "&" if "?" in endpoint else "?"
    t0 = time.perf_counter()
    triples = sent = 0
    for i, g in enumerate(graphs, 1):
        quads = list(store.quads_for_pattern(None, None, None, g))
        body = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
        url = f"{endpoint}{sep}graph={urllib.parse.quote(g.value, safe='')}"
        _request(url, "PUT", body, {"Content-Type": "application/n-triples"}, auth, timeout)
        triples += len(quads)
        sent += len(body)
        if progress:
            progress(i, len(graphs))
    removed: list[str] = []
    if prune_query_url:
        local = {g.value for g in graphs}
        remote = RemoteSparql(prune_query_url, names=None, auth=auth, timeout=timeout)
        for row in remote.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            g = row["g"]
            if g.startswith(DOCUMENT_GRAPHS) and g not in local:
                _request(f"{endpoint}{sep}graph={urllib.parse.quote(g, safe='')}", "DELETE", None, {}, auth, timeout)
                removed.append(g)
    return PushReport(endpoint, len(graphs), triples, time.perf_counter() - t0, sent, sorted(removed))


class RemoteSparql:
    """The named queries over a SPARQL 1.1 query endpoint, with the name index of a built store."""

    name = "sparql"

    def __init__(self, query_url: str, names, *, auth: tuple[str, str] | None = None, timeout: float = 60.0):
        self.url = _check_url(query_url)
        self.names = names
        self.auth = auth
        self.timeout = timeout

    def run(self, query, **iris: str) -> list[dict[str, Any]]:
        return self.select(query.sparql, **iris)

    def select(self, sparql: str, **iris: str) -> list[dict[str, Any]]:
        import pyoxigraph as ox

        from kg.stores.embedded import PREFIXES, _py, inline_iris

        text = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()) + inline_iris(sparql, iris)
        data = urllib.parse.urlencode({"query": text}).encode("utf-8")
        body = _request(self.url, "POST", data, {"Content-Type": "application/x-www-form-urlencoded",
                                                  "Accept": "application/sparql-results+json"}, self.auth, self.timeout)
        res = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        names = [v.value for v in res.variables]
        return [{n: _py(sol[n]) for n in names} for sol in res]
