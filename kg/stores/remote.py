"""The named queries answered by a remote SPARQL 1.1 query endpoint (``--backend sparql``).

The server holds what ``kg push`` sent: one named graph per source document and the
ontology's graph. The named queries read the union of those graphs as their default
graph, as the embedded store does; servers differ in how they get there:

* Oxigraph server: ``oxigraph serve --union-default-graph`` (query URL ``/query``);
* Virtuoso: the default graph of a query is every graph (``/sparql``); raise its
  ``[SPARQL] ResultSetMaxRows`` above the largest answer (10,000 in the Debian ini);
* Fuseki: ``tdb2:unionDefaultGraph true`` on the dataset (``/<ds>/sparql``);
* GraphDB: the default graph is the union of the repository's graphs (``/repositories/<repo>``).

Names are resolved by the name index of the local built store when there is one (the
same index, so the same answers), else by one query to the server that rebuilds that
index from the entities' labels and types.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from kg.errors import KgError
from kg.model.names import ID_BASE, NameIndex
from kg.stores.http import HttpClient, check_url

__all__ = ["RemoteSparql", "NAMES_SPARQL", "name_entries"]

_INTEGER = ("#integer", "#int", "#long")  # as kg.stores.embedded reads them
_NUMERIC = (*_INTEGER, "#decimal", "#double", "#float")

# The name index (kg.build.names_index) rebuilt from the graph: one row per entity, label and type.
NAMES_SPARQL = f"""
SELECT ?iri ?name ?name_en ?alias ?type WHERE {{
  ?iri skos:prefLabel ?n ; a ?cls .
  FILTER(STRSTARTS(STR(?iri), "{ID_BASE}") && lang(?n) = "zh")
  BIND(STR(?n) AS ?name) BIND(STR(?cls) AS ?type)
  OPTIONAL {{ ?iri park:translatedLabel ?en FILTER(lang(?en) = "en") }} BIND(STR(?en) AS ?name_en)
  OPTIONAL {{ ?iri skos:altLabel ?a }} BIND(STR(?a) AS ?alias)
}}"""


def _value(term: dict[str, Any] | None) -> Any:
    """A SPARQL JSON results term as the embedded store's rows hold it (IRIs and strings as str, numbers as numbers)."""
    if term is None:
        return None
    value = term["value"]
    dt = str(term.get("datatype", ""))
    if term.get("type") in ("literal", "typed-literal") and dt.endswith(_NUMERIC):
        if dt.endswith(_INTEGER):
            return int(value)
        f = float(value)
        return int(f) if f.is_integer() else f
    return value


def name_entries(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries of a name index (as ``kg.build.names_index`` writes them) from the rows of :data:`NAMES_SPARQL`.

    Aliases and types are sorted (RDF keeps no order); only entities with a park-kg entity class count.
    """
    from kg.model.terms import ENTITY_CLASSES

    kinds = {iri: k for k, iri in ENTITY_CLASSES.items()}
    by_iri: dict[str, dict[str, Any]] = {}
    for r in rows:
        e = by_iri.setdefault(
            r["iri"],
            {
                "iri": r["iri"],
                "id": r["iri"][len(ID_BASE) :],
                "name": r["name"],
                "name_en": r["name_en"],
                "aliases": set(),
                "types": set(),
            },
        )
        if r["alias"]:
            e["aliases"].add(r["alias"])
        if r["type"] in kinds:
            e["types"].add(kinds[r["type"]])
    return [
        {**e, "aliases": sorted(e["aliases"]), "types": sorted(e["types"])}
        for _, e in sorted(by_iri.items())
        if e["types"]
    ]


class RemoteSparql:
    """A Store (``names`` and ``run``) over a SPARQL 1.1 query endpoint.

    ``endpoint`` defaults to ``KG_SPARQL_QUERY``; ``store_path`` is a local store whose
    name index resolves names (without one, the server's labels do); ``names`` overrides both.
    Credentials: ``user``/``password``/``auth`` (defaults ``KG_SPARQL_USER``/``KG_SPARQL_PASSWORD``/``KG_SPARQL_AUTH``).
    """

    name = "sparql"

    def __init__(
        self,
        endpoint: str | None = None,
        names: NameIndex | None = None,
        *,
        store_path: Path | str | None = None,
        user: str | None = None,
        password: str | None = None,
        auth: str | None = None,
        timeout: float = 60.0,
    ):
        endpoint = endpoint or os.environ.get("KG_SPARQL_QUERY")
        if not endpoint:
            raise KgError(
                "--backend sparql needs the server's SPARQL query URL: --sparql-endpoint URL or KG_SPARQL_QUERY "
                "(e.g. http://127.0.0.1:7878/query for Oxigraph, http://127.0.0.1:8890/sparql for Virtuoso)"
            )
        self.url = check_url(endpoint, "a SPARQL query endpoint (e.g. http://127.0.0.1:7878/query)")
        self.store_path = store_path
        self._names = names
        user = user or os.environ.get("KG_SPARQL_USER")
        password = password if password is not None else os.environ.get("KG_SPARQL_PASSWORD")
        auth = auth or os.environ.get("KG_SPARQL_AUTH") or "auto"
        self.http = HttpClient(user=user, password=password, auth=auth, timeout=timeout)

    @property
    def names(self) -> NameIndex:
        if self._names is None:
            self._names = self._local_names() or self._server_names()
        return self._names

    def _local_names(self) -> NameIndex | None:
        if self.store_path is None:
            return None
        from kg.stores.embedded import EmbeddedStore, StoreDir

        if StoreDir(self.store_path).current is None:
            return None
        return EmbeddedStore(self.store_path).names

    def _server_names(self) -> NameIndex:
        entries = name_entries(self.select(NAMES_SPARQL))
        if not entries:
            raise KgError(f"the SPARQL server at {self.url} holds no park-kg entities: push the graph with `kg push` "
                          "(and check that the endpoint queries the union of the named graphs)")
        return NameIndex(entries)

    def edge_ends(self, query) -> list[tuple[str, str, str]]:
        """``(s, o, status)`` of every entity-to-entity edge, for the path search, by its ``query``
        (kg.queries.texts.EDGE_ENDS: one query without evidence).

        The search keeps them for the life of this object, as it does for a store generation."""
        return [(r["s"], r["o"], r["status"]) for r in self.run(query)]

    def run(self, query, **iris: str) -> list[dict[str, Any]]:
        """Run a named query's SPARQL; ``iris`` binds variables to IRIs.

        The IRIs are written into the text, as the embedded store does."""
        return self.select(query.sparql, **iris)

    def select(self, sparql: str, **iris: str) -> list[dict[str, Any]]:
        """A SELECT with the project prefixes; rows of plain Python values."""
        from kg.model.terms import PREFIXES
        from kg.stores.embedded import inline_iris

        text = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()) + inline_iris(sparql, iris)
        r = self.http.request(
            "POST", self.url, data={"query": text}, headers={"Accept": "application/sparql-results+json"}
        )
        try:
            res = json.loads(r.content)
            names = res["head"]["vars"]
            bindings = res["results"]["bindings"]
        except (ValueError, KeyError, TypeError):
            raise KgError(
                f"the SPARQL server at {self.url} did not answer with SPARQL JSON results "
                f"(Content-Type {r.headers.get('content-type', '?')}); is it the query endpoint?"
            ) from None
        cap = r.headers.get("x-sparql-maxrows")  # Virtuoso: the answer was cut at ResultSetMaxRows
        if cap and cap.isdigit() and len(bindings) >= int(cap):
            raise KgError(
                f"the SPARQL server at {self.url} cut the answer at {int(cap):,} rows, so it would be incomplete: "
                "raise ResultSetMaxRows in the [SPARQL] section of virtuoso.ini"
            )
        return [{n: _value(b.get(n)) for n in names} for b in bindings]

    def close(self) -> None:
        self.http.close()
