"""Push the dataset to a SPARQL server through the SPARQL 1.1 Graph Store HTTP Protocol.

Each source document's named graph (and the ontology's) is sent as N-Triples in bounded
chunks (``chunk`` triples per request, 50,000 by default, read from the store as they are
sent): the first chunk with ``PUT <endpoint>?graph=<graph IRI>``, which replaces the graph
on the server, the others with ``POST``, which adds to it. A push is idempotent, pushing
again after a rebuild replaces what changed, and a million-quad push never holds more than
one chunk in memory. (A graph with blank nodes — only the ontology's — is sent whole from
its first blank node on, so that a blank node never spans two requests.) While a graph is
being sent, readers of the server may see part of it.

With ``prune_query_url`` (the server's SPARQL query endpoint) the document graphs the server
has and the store no longer has — documents removed from ``seeds/`` — are deleted with
``DELETE <endpoint>?graph=…``; graphs outside park-kg's document namespace are never touched.

Endpoints and grants per server are in ``docs/how-to/servers.md`` (Oxigraph
``http://host:7878/store``; Virtuoso ``http://host:8890/sparql-graph-crud-auth`` with Digest
auth; Fuseki ``http://host:3030/<ds>/data``; GraphDB
``http://host:7200/repositories/<repo>/rdf-graphs/service``). HTTP goes through
:class:`kg.stores.http.HttpClient` (Basic/Digest, timeouts, retries, one-line errors).
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kg.model.terms import DOCUMENTS, ONTOLOGY_IRI
from kg.progress import Progress, reporter
from kg.stores.http import HttpClient, check_url
from kg.stores.remote import RemoteSparql

__all__ = ["PushReport", "push_store", "RemoteSparql", "CHUNK"]

CHUNK = 50_000  # triples per request


@dataclass
class PushReport:
    endpoint: str
    graphs: int
    triples: int
    seconds: float
    bytes: int
    requests: int = 0
    removed: list[str] = field(default_factory=list)  # document graphs deleted on the server (prune)
    sending_seconds: float = 0.0  # inside the HTTP requests that carried data: the server's side of the work

    @property
    def triples_per_second(self) -> float:
        """End to end: triples over the whole call (opening the store, reading, serializing, sending)."""
        return self.triples / self.seconds if self.seconds else 0.0

    @property
    def sending_triples_per_second(self) -> float:
        """Triples over the time spent in the data requests alone (network and the server's write)."""
        return self.triples / self.sending_seconds if self.sending_seconds else 0.0

    def as_json(self) -> dict:
        """The report as ``kg push --format json`` prints it: rates rounded."""
        return {
            **asdict(self),
            "seconds": round(self.seconds, 3),
            "sending_seconds": round(self.sending_seconds, 3),
            "triples_per_second": round(self.triples_per_second),
            "sending_triples_per_second": round(self.sending_triples_per_second),
        }

    def summary(self, pruned: bool = False) -> str:
        """What was sent, how fast; with ``pruned``, the document graphs removed."""
        line = (
            f"pushed {self.graphs} graph(s), {self.triples:,} triples ({self.bytes / 1e6:.1f} MB, "
            f"{self.requests} request(s)) to {self.endpoint} "
            f"in {self.seconds:.2f} s: {self.triples_per_second:,.0f} triples/s end to end, "
            f"{self.sending_triples_per_second:,.0f} triples/s sending ({self.sending_seconds:.2f} s)"
        )
        if not pruned:
            return line
        removed = "".join(f"\n  {g}" for g in self.removed)
        return f"{line}\nremoved {len(self.removed)} graph(s) of documents the store no longer has{removed}"


def _chunks(quads: Iterator, size: int) -> Iterator[list]:
    """Lists of at most ``size`` triples; from the first blank node on, the rest of the graph in one list."""
    import pyoxigraph as ox

    buf: list = []
    whole = False
    for q in quads:
        t = q.triple
        buf.append(t)
        if not whole and (isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)):
            whole = True
        if len(buf) >= size and not whole:
            yield buf
            buf = []
    if buf:
        yield buf


def _graph_url(endpoint: str, graph: str) -> str:
    return f"{endpoint}{'&' if '?' in endpoint else '?'}graph={urllib.parse.quote(graph, safe='')}"


def push_store(store_path: Path | str, endpoint: str, *, ontology: bool = True, user: str | None = None,
               password: str | None = None, auth: str = "auto", timeout: float = 300.0, chunk: int = CHUNK,
               progress: Progress | None = None, prune_query_url: str | None = None, retries: int = 3) -> PushReport:
    """Send every named graph of the built store to ``endpoint`` (a Graph Store HTTP Protocol URL);
    with ``prune_query_url``, then DELETE the server's document graphs the store does not have.
    ``progress`` gets a :class:`kg.progress.Step` ("push", triples sent, of all, "triples") after each request."""
    import pyoxigraph as ox

    from kg.stores.embedded import EmbeddedStore

    t0 = time.perf_counter()
    endpoint = check_url(endpoint)
    if prune_query_url:
        check_url(prune_query_url, "a SPARQL query endpoint (e.g. http://127.0.0.1:7878/query)")
    store = EmbeddedStore(store_path).ox
    graphs = sorted((g for g in store.named_graphs() if ontology or g.value != ONTOLOGY_IRI), key=lambda g: g.value)
    onto = ox.NamedNode(ONTOLOGY_IRI)
    total = len(store) - (0 if ontology else sum(1 for _ in store.quads_for_pattern(None, None, None, onto)))
    triples = sent = requests = 0
    sending = 0.0
    report = reporter(progress)  # after each data request (none before: a refusal is one line alone)
    with HttpClient(user=user, password=password, auth=auth, timeout=timeout, retries=retries) as http:
        if graphs:  # one cheap request first: a wrong password or a missing grant fails before any data is sent
            http.request("HEAD", _graph_url(endpoint, graphs[0].value), ok=(400, 404, 405, 406, 501))
        for i, g in enumerate(graphs, 1):
            url = _graph_url(endpoint, g.value)
            for n, part in enumerate(_chunks(store.quads_for_pattern(None, None, None, g), chunk)):
                body = ox.serialize(part, format=ox.RdfFormat.N_TRIPLES) or b""
                t = time.perf_counter()
                http.request(
                    "PUT" if n == 0 else "POST", url, content=body, headers={"Content-Type": "application/n-triples"}
                )
                sending += time.perf_counter() - t
                triples += len(part)
                sent += len(body)
                requests += 1
                report("push", triples, total, "triples")
        removed: list[str] = []
        if prune_query_url:
            local = {g.value for g in graphs}
            remote = RemoteSparql(prune_query_url, names=None, user=user, password=password, auth=auth, timeout=timeout)
            try:
                rows = remote.select(
                    f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{DOCUMENTS}")) }}'
                )
            finally:
                remote.close()
            for row in rows:
                g = row["g"]
                if g.startswith(DOCUMENTS) and g not in local:
                    http.request("DELETE", _graph_url(endpoint, g))
                    removed.append(g)
    return PushReport(
        endpoint, len(graphs), triples, time.perf_counter() - t0, sent, requests, sorted(removed), sending
    )
