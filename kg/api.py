"""kg.Graph: the Python API for notebooks and scripts — the reports the CLI renders, as objects.

Each query method returns a :class:`~kg.queries.result.Report`: named tables of plain rows
(``report.tables[0].rows`` is a list of dicts, ready for ``pandas.DataFrame``), notes for the
reader, and the entity it is about. ``kg members 红领宁商`` prints ``render(g.members("红领宁商"))``.

>>> import tempfile
>>> from pathlib import Path
>>> store = Path(tempfile.mkdtemp()) / "store"
>>> Graph.build("seeds/facts", store).counts["entities"]
70
>>> g = Graph(store)
>>> r = g.members("红领宁商")
>>> sorted(m["member_name"] for m in r.tables[0].rows)[:2], {m["status"] for m in r.tables[0].rows}
(['生物园区管委会', '西宁市生物园区商会'], {'active'})
>>> [(m["org_name"], m["status"]) for m in g.memberships("青海大学").tables[0].rows]  # planned, never active
[('西宁经济技术开发区生物科技产业园区绿色算力党建联盟', 'planned')]
>>> [hop["relation"] for hop in g.path("青海大学", "红领宁商").tables[0].rows]
['plannedMemberOf', 'plannedMemberOf', 'org:memberOf']
>>> g.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?o a park:University }").tables[0].rows  # as `kg orgs --type University`
[{'n': '3'}]
>>> g.close()
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only for the annotations: importing kg.api stays light
    from kg.build import BuildReport
    from kg.progress import Progress
    from kg.queries.result import Report
    from kg.views.drawing import View

__all__ = ["Graph", "DEFAULT_STORE"]

DEFAULT_STORE = "data/store"


class Graph:
    """A built graph: the embedded store at ``path`` (default ``data/store``), or a server.

    ``backend`` is ``"store"`` (embedded, the default), ``"bolt"`` (Neo4j or the local ``kg
    graphdb``; ``NEO4J_URI``…) or ``"sparql"`` (``endpoint=`` a SPARQL query URL); the answers
    are the same. The store opens on first use; :meth:`close` (or ``with``) releases it.
    """

    def __init__(self, path: Path | str = DEFAULT_STORE, *, backend: str = "store", **options: Any):
        self.store_path = Path(path)
        self.backend = backend
        self.options = options  # the backend's: endpoint= for sparql, uri=/user=… for bolt
        self._store = None

    @property
    def store(self):
        """The open backend (a :class:`kg.stores.embedded.EmbeddedStore`, ``BoltStore`` or ``RemoteSparql``)."""
        if self._store is None:
            from kg.stores import open_store

            if self.backend == "store":
                self._store = open_store("store", path=self.store_path)
            else:  # a SPARQL server's names are resolved by the local store's index when it is built
                local = {"store_path": self.store_path} if self.backend == "sparql" else {}
                self._store = open_store(self.backend, **{**local, **self.options})
        return self._store

    def close(self) -> None:
        if self._store is not None and hasattr(self._store, "close"):
            self._store.close()
        self._store = None

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Graph({str(self.store_path)!r}" + (f", backend={self.backend!r})" if self.backend != "store" else ")")

    @staticmethod
    def build(
        facts: Path | str = "seeds/facts",
        store: Path | str = DEFAULT_STORE,
        *,
        sources: Path | str | None = None,
        force: bool = False,
        shacl: bool = True,
        progress: Progress | None = None,
    ) -> BuildReport:
        """Validate the facts and build the store (``kg build``); its report (``counts``, ``seconds``, ``noop``)."""
        from kg.build import build

        return build(
            Path(facts),
            Path(store),
            sources_dir=Path(sources) if sources else None,
            force=force,
            shacl=shacl,
            progress=progress,
        )

    # ------------------------------------------------------------------ named queries (kg orgs … kg stats)

    def orgs(self, type_: str | None = None, in_: str | None = None) -> Report:
        """Organizations with type and names; ``type_`` a class (Company, 公司…), ``in_`` a park."""
        from kg.queries import orgs

        return orgs(self.store, type_=type_, in_=in_)

    def show(self, name: str) -> Report:
        """One entity: types, names, memberships, relations and indicators, with evidence."""
        from kg.queries import show

        return show(self.store, name)

    def members(self, name: str, status: str = "all") -> Report:
        """Members of a community, alliance or organization (``status``: active, planned, ended, all)."""
        from kg.queries import members

        return members(self.store, name, status)

    def memberships(self, name: str, status: str = "all") -> Report:
        """What an organization is, was or will be a member of."""
        from kg.queries import memberships

        return memberships(self.store, name, status)

    def related(self, name: str, depth: int = 1, predicates: tuple[str, ...] | str = ()) -> Report:
        """Neighbours up to ``depth`` hops away, only through ``predicates`` (one name or several) when given."""
        from kg.queries import related

        return related(self.store, name, depth, _names(predicates))

    def path(
        self, a: str, b: str, status: str = "all", *, all_paths: bool = False, max_len: int | None = None
    ) -> Report:
        """The shortest chain of relations from ``a`` to ``b`` (every one with ``all_paths``), each hop with
        evidence."""
        if all_paths or max_len is not None:  # every path needs the networkx projection
            from kg.analytics import every_path

            return every_path(self.store, a, b, status, max_len=max_len)
        from kg.queries import path

        return path(self.store, a, b, status)

    def chain(self, name: str) -> Report:
        """An ordered chain (the incubation chain…), given the chain or any of its stages."""
        from kg.queries import chain

        return chain(self.store, name)

    def stats(self) -> Report:
        """Counts by class and by predicate."""
        from kg.queries import stats

        return stats(self.store)

    # ------------------------------------------------------------------ analytics (kg analyze …)

    def centrality(
        self,
        measure: str = "degree",
        top: int | None = 10,
        status: str = "all",
        type_: str | None = None,
        sample: int | None = None,
        seed: int = 0,
    ) -> Report:
        """Organizations ranked as hubs (degree, pagerank) or brokers (betweenness), each with why."""
        from kg import analytics

        return analytics.centrality(self.store, measure, top=top, status=status, type_=type_, sample=sample, seed=seed)

    def communities(
        self,
        status: str = "all",
        method: str = "louvain",
        resolution: float = 1.0,
        seed: int = 0,
        limit: int | None = 20,
        names: int | None = 12,
    ) -> Report:
        """Clusters of organizations beside the declared communities and alliances they confirm."""
        from kg import analytics

        return analytics.communities(
            self.store, status=status, method=method, resolution=resolution, seed=seed, limit=limit, names=names
        )

    def bridges(self, a: str, b: str, status: str = "all", max_len: int | None = None, limit: int = 100) -> Report:
        """The organizations and relations that connect ``a`` and ``b``, with evidence."""
        from kg import analytics

        return analytics.bridges(self.store, a, b, status=status, max_len=max_len, limit=limit)

    def compare(
        self,
        status: str = "planned",
        at: str | None = None,
        org: str | None = None,
        limit: int | None = 50,
        sample: int | None = None,
        seed: int = 0,
    ) -> Report:
        """Today's network against the network once planned memberships take effect (or at a date ``at``)."""
        from kg import analytics

        return analytics.compare(self.store, status=status, at=at, org=org, limit=limit, sample=sample, seed=seed)

    # ------------------------------------------------------------------ views and free queries

    def view(self, output: Path | str | None = None, **options: Any) -> View:
        """The interactive view (``kg view``): written to ``output`` when given. ``options``: around=, depth=,
        community=, chain=, types=, predicates=, status=, english=, max_nodes= (see :func:`kg.views.select.view`)."""
        options.update({k: _names(options[k]) for k in ("types", "predicates") if k in options})
        if output is not None:
            from kg.views import write_view

            return write_view(self.store, Path(output), **options)
        from kg.views.select import view

        return view(self.store, **options)

    def sparql(self, query: str, *, graph: str | None = None, timeout: float | None = 30.0) -> Report:
        """A SELECT or ASK query on the embedded store (project prefixes declared), as a table ``results``;
        an ASK answers one row ``{"result": True|False}``. ``kg sparql`` serializes graphs (CONSTRUCT)."""
        from kg import sparql as sp
        from kg.queries.result import Report, Table

        res = sp.run(self.store_path, query, fmt="table", graph=graph, timeout=timeout, table=True)
        if res.boolean is not None:
            return Report([Table("results", ["result"], [{"result": res.boolean}])])
        return Report([Table("results", res.variables, res.rows)])

    def cypher(
        self, query: str, params: dict[str, Any] | None = None, *, write: bool = False, **connection: Any
    ) -> Report:
        """A Cypher query on the Bolt server (``NEO4J_URI``…, or the local ``kg graphdb``; ``connection``:
        uri=, user=, password=, database=), read-only unless ``write``; its rows as a table ``rows``."""
        from kg.queries.result import Report, Table
        from kg.stores.bolt import BoltConfig, BoltStore

        store = (
            self.store if self.backend == "bolt" and not connection else BoltStore(BoltConfig.from_env(**connection))
        )
        try:
            rows = store.cypher(query, params or {}, write=write)
        finally:
            if store is not self._store:
                store.close()
        return Report([Table("rows", list(rows[0]) if rows else [], rows)])


def _names(values: tuple[str, ...] | str) -> tuple[str, ...]:
    """One name or several: ``predicates="memberOf"`` is one predicate (as ``--predicate memberOf``), not eight."""
    return (values,) if isinstance(values, str) else tuple(values)
