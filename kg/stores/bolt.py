"""The Bolt backend: the property graph in Neo4j 5 / Aura or the local FalkorDB, one Cypher for both.

Two transports run the same Cypher texts:

* ``bolt`` — the official ``neo4j`` driver (Neo4j, Aura, clusters via ``neo4j://``, the local
  server's Bolt front :mod:`kg.stores.bolt_server`, and FalkorDB's own experimental Bolt port);
* ``native`` — FalkorDB's own client over the Redis protocol, for the local server only.

What differs between engines lives in :data:`ENGINES` (batch sizes, a byte cap per message,
DDL) and nowhere else. Errors from either driver become one readable :class:`KgError`
line; the password is never part of a message.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from kg.errors import KgError
from kg.model.names import ID_BASE, NameIndex

__all__ = ["BoltConfig", "BoltStore", "Engine", "ENGINES", "LoadReport", "load", "load_store", "export_triples", "export_rdf",
           "check_read_only"]


@dataclass(frozen=True)
class Engine:
    """Per-engine settings: rows per UNWIND batch, a byte cap per message, DDL statements."""

    name: str
    node_rows: int
    rel_rows: int
    max_bytes: int | None
    ddl: tuple[str, ...]
    ddl_best_effort: bool = False  # FalkorDB errors on an index that exists; its Bolt port hides why
    max_param_bytes: int | None = None  # parameters of one query, as JSON


ENGINES = {
    "neo4j": Engine(
        "neo4j", 1000, 5000, None,
        ("CREATE CONSTRAINT kg_resource_iri IF NOT EXISTS FOR (n:Resource) REQUIRE n.iri IS UNIQUE",
         "CREATE INDEX kg_schema_key IF NOT EXISTS FOR (n:KgSchema) ON (n.key)"),
    ),
    # FalkorDB over Bolt: messages over ~3-4 KB crashed the server in our trial (FalkorDB 4.16.3);
    # a query's parameters over ~4.4 KB crash the whole server (the query text itself may be longer).
    "falkordb": Engine(
        "falkordb", 40, 200, 3000,
        ("CREATE INDEX FOR (n:Resource) ON (n.iri)", "CREATE INDEX FOR (n:KgSchema) ON (n.key)"),
        True, 3800,
    ),
    # FalkorDB through its native client: no such limit.
    "falkordb-native": Engine("falkordb-native", 1000, 2000, None, ()),
}


@dataclass
class BoltConfig:
    """Where the property graph lives. ``from_env`` reads NEO4J_URI/USER/PASSWORD/DATABASE."""

    uri: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    engine: str = "auto"
    transport: str = "auto"  # bolt for queries; native for bulk loads into the local FalkorDB
    native_port: int | None = None

    def __post_init__(self) -> None:
        # bolt://user:password@host: the driver refuses credentials in the URI (and its error repeats
        # the URI, password included), so they move to user/password unless those are given.
        u = urlparse(self.uri)
        if u.username is not None or u.password is not None:
            from urllib.parse import unquote

            self.user = self.user or unquote(u.username or "") or None
            self.password = self.password or unquote(u.password or "") or None
            self.uri = u._replace(netloc=u.netloc.rsplit("@", 1)[1]).geturl()

    def __repr__(self) -> str:
        return (f"BoltConfig(uri={self.safe_uri!r}, user={self.user!r}, database={self.database!r}, engine={self.engine!r}, "
                f"transport={self.transport!r}, native_port={self.native_port!r})")

    @property
    def safe_uri(self) -> str:
        """The URI as messages show it: a password inside it (bolt://user:pw@host) replaced by ***."""
        u = urlparse(self.uri)
        return self.uri.replace(f":{u.password}@", ":***@", 1) if u.password else self.uri

    def secrets(self) -> list[str]:
        """Every password this configuration holds (option/env and URI), for scrubbing messages."""
        return [p for p in (self.password, urlparse(self.uri).password) if p]

    @classmethod
    def from_env(cls, **overrides: Any) -> BoltConfig:
        """Exactly the configured server: ``uri`` (an option) or NEO4J_URI, else the local `kg graphdb` if it
        is running; never a guessed address. NEO4J_USER/NEO4J_PASSWORD/NEO4J_DATABASE belong to NEO4J_URI
        (or ``uri``): the local server gets only credentials passed as ``user``/``password``, else its own
        password from KG_GRAPHDB_PASSWORD (which no other server is ever sent)."""
        from kg.graphdb import local_state

        given = {k: v for k, v in overrides.items() if v is not None}
        local = local_state()
        env: dict[str, Any] = {"transport": os.environ.get("KG_TRANSPORT", "auto")}
        if given.get("uri") or os.environ.get("NEO4J_URI"):
            env.update(uri=os.environ.get("NEO4J_URI"), user=os.environ.get("NEO4J_USER"),
                       password=os.environ.get("NEO4J_PASSWORD"), database=os.environ.get("NEO4J_DATABASE"))
        elif local is not None:
            env["uri"] = local.bolt_uri
        else:
            raise KgError(NO_SERVER)
        env.update(given)
        cfg = cls(**env)
        if local and urlparse(cfg.uri).port == local.bolt_port and _loopback(cfg.uri):
            cfg.native_port = cfg.native_port or local.port
            cfg.password = cfg.password or os.environ.get("KG_GRAPHDB_PASSWORD") or None
            if cfg.engine == "auto":
                cfg.engine = "falkordb"
        return cfg


#: neither NEO4J_URI (nor --uri) nor a running local server
NO_SERVER = "no graph database configured or running: start one with `kg graphdb start` or set NEO4J_URI"


def _loopback(uri: str) -> bool:
    return (urlparse(uri).hostname or "") in ("127.0.0.1", "localhost", "::1")


@contextlib.contextmanager
def _errors(cfg: BoltConfig) -> Iterator[None]:
    """Driver and server errors as one line; never the password."""
    try:
        yield
    except KgError:
        raise
    except Exception as e:  # noqa: BLE001 - every driver error becomes a user-facing line
        raise KgError(_describe(e, cfg)) from None


def _describe(e: Exception, cfg: BoltConfig) -> str:
    name = type(e).__name__
    msg = getattr(e, "message", None) or str(e)
    msg = " ".join(str(msg).split())
    for secret in cfg.secrets():
        msg = msg.replace(secret, "***")
    where = f"{cfg.safe_uri}" + (f" (native port {cfg.native_port})" if cfg.transport == "native" else "")
    if name in ("ServiceUnavailable", "ConnectionError", "ConnectionRefusedError", "TimeoutError") or "Connection refused" in msg:
        return f"cannot reach the graph database at {where}: start it with `kg graphdb start`, or set NEO4J_URI"
    if name in ("AuthError", "Unauthorized") or "authentication" in msg.lower():
        who = f"for user {cfg.user or 'neo4j'!r}" if cfg.user or cfg.password else "without credentials"
        hint = ("set KG_GRAPHDB_PASSWORD to the password the local server was started with" if cfg.native_port and not cfg.user
                else "check NEO4J_USER / NEO4J_PASSWORD")  # NEO4J_* reach the local server only with NEO4J_URI or --uri
        return f"authentication failed at {cfg.safe_uri} {who}: {hint}"
    if name == "CypherSyntaxError" or "Invalid input" in msg or "errMsg" in msg:
        return f"Cypher error: {msg}"
    return f"the graph database at {where} failed: {name}: {msg[:300]}"


class _BoltTransport:
    """The official neo4j driver."""

    name = "bolt"

    def __init__(self, cfg: BoltConfig):
        from neo4j import GraphDatabase

        auth = (cfg.user or "neo4j", cfg.password or "") if cfg.user or cfg.password else None
        self.cfg = cfg
        self._write = None
        self.front = False  # the local server's Bolt front (kg.stores.bolt_server): none of FalkorDB's Bolt quirks
        with _errors(cfg):
            self.driver = GraphDatabase.driver(cfg.uri, auth=auth)
            try:
                self.front = str(self.driver.get_server_info().agent).startswith("park-kg")
            except Exception as e:
                if type(e).__name__ == "DatabaseError":  # FalkorDB answers a refused HELLO this way
                    raise KgError(f"the server at {cfg.safe_uri} refused the login for user {cfg.user!r}: check NEO4J_USER / NEO4J_PASSWORD") from None
                raise

    @property
    def falkordb_bolt(self) -> bool:
        """True when talking to FalkorDB's own Bolt port, whose quirks the methods below work around."""
        return self.cfg.engine == "falkordb" and not self.front

    def _session(self, read: bool):
        from neo4j import READ_ACCESS, WRITE_ACCESS

        if self.falkordb_bolt:
            # FalkorDB 4.16's Bolt port takes the first key of a message's metadata as the graph
            # name: an access mode writes to a graph called "mode", a database to one called "db".
            # So no metadata at all: everything goes to its default graph 'falkordb'.
            return self.driver.session()
        kw: dict[str, Any] = {"default_access_mode": READ_ACCESS if read else WRITE_ACCESS}
        if self.cfg.database:
            kw["database"] = self.cfg.database
        return self.driver.session(**kw)

    def _params(self, params: dict[str, Any]) -> dict[str, Any]:
        if not self.falkordb_bolt:
            return params
        escaped = _escape_for_falkordb_bolt(params)
        cap = ENGINES["falkordb"].max_param_bytes
        size = len(json.dumps(escaped, ensure_ascii=False).encode("utf-8"))
        if cap is not None and size > cap:
            raise KgError(f"the query's parameters take {size:,} bytes; FalkorDB's Bolt port crashes on more than about 4 KB, "
                          f"so at most {cap:,} are sent: use --transport native (the local server) or smaller values")
        return escaped

    def read(self, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        with _errors(self.cfg), self._session(read=True) as s:
            return s.run(cypher, self._params(params)).data()

    def write(self, cypher: str, params: dict[str, Any]) -> None:
        with _errors(self.cfg):
            if self._write is None:
                self._write = self._session(read=False)
            # .data(), not .consume(): FalkorDB's Bolt port does not run a DISCARDed query
            self._write.run(cypher, self._params(params)).data()

    def close(self) -> None:
        if self._write is not None:
            self._write.close()
        if self.falkordb_bolt:
            _drop_connections(self.driver)
        self.driver.close()


def _escape_for_falkordb_bolt(value: Any) -> Any:
    """Escape strings the way FalkorDB's Bolt port needs.

    FalkorDB 4.16 turns Bolt parameters into single-quoted literals in the query text
    without escaping them: a value holding ' broke the query (and could inject Cypher),
    and a backslash was read as an escape. Escaping \\ and ' here makes every value arrive
    as sent. Only the FalkorDB Bolt path does this; Neo4j and the native client get values as they are.
    """
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("'", "\\'")
    if isinstance(value, list):
        return [_escape_for_falkordb_bolt(v) for v in value]
    if isinstance(value, dict):
        return {k: _escape_for_falkordb_bolt(v) for k, v in value.items()}
    return value


def _drop_connections(driver) -> None:
    """Close pooled connections without Bolt GOODBYE.

    FalkorDB 4.16's Bolt endpoint hangs the *next* client's connection after a GOODBYE
    (measured: every second `kg` process stalled until its timeout); closing the socket
    without it, as a killed process does, leaves the server healthy. Neo4j never gets here.
    """
    pool = getattr(driver, "_pool", None)
    for conns in list(getattr(pool, "connections", {}).values()):
        for c in list(conns):
            with contextlib.suppress(Exception):
                c.kill()


class _NativeTransport:
    """FalkorDB's own client (Redis protocol) for the local server; graph 'falkordb' like its Bolt port."""

    name = "native"
    GRAPH = "falkordb"

    def __init__(self, cfg: BoltConfig):
        from falkordb import FalkorDB

        if not cfg.native_port:
            raise KgError("the native transport needs the local FalkorDB server: run `kg graphdb start`")
        self.cfg = cfg
        with _errors(cfg):
            self.graph = FalkorDB(host=urlparse(cfg.uri).hostname or "127.0.0.1", port=cfg.native_port, password=cfg.password).select_graph(self.GRAPH)
            self.graph.query("RETURN 1")

    def _rows(self, res) -> list[dict[str, Any]]:
        names = [h[1] for h in res.header]
        return [dict(zip(names, (dict(v) if hasattr(v, "items") else v for v in row))) for row in res.result_set]

    def read(self, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        with _errors(self.cfg):
            return self._rows(self.graph.ro_query(cypher, params))

    def write(self, cypher: str, params: dict[str, Any]) -> None:
        with _errors(self.cfg):
            self.graph.query(cypher, params)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.graph.client.close()


def _detect_engine(t) -> str:
    try:
        rows = t.read("CALL dbms.components() YIELD name RETURN name", {})
    except KgError:
        return "falkordb"
    return "neo4j" if any("neo4j" in str(r.get("name", "")).lower() for r in rows) else "falkordb"


def connect(cfg: BoltConfig, *, bulk: bool = False):
    """An open transport for ``cfg``, with ``cfg.engine`` and ``cfg.transport`` resolved.

    ``transport='auto'`` is the neo4j driver, except for a bulk load into the local
    FalkorDB, which goes through its native client (≈ 4x the rows/s, no message-size limit).
    """
    if cfg.transport == "auto":
        cfg.transport = "native" if bulk and cfg.native_port else "bolt"
    if cfg.transport not in ("bolt", "native"):
        raise KgError(f"unknown transport {cfg.transport!r}; use bolt or native")
    # The driver's own warnings repeat what our one-line error says; without a handler Python prints them.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    t = _NativeTransport(cfg) if cfg.transport == "native" else _BoltTransport(cfg)
    if cfg.engine == "auto":
        cfg.engine = "falkordb" if cfg.transport == "native" else _detect_engine(t)
    if cfg.engine not in ("neo4j", "falkordb"):
        raise KgError(f"unknown engine {cfg.engine!r}; use neo4j or falkordb")
    return t


def _engine(cfg: BoltConfig) -> Engine:
    return ENGINES["falkordb-native" if cfg.transport == "native" else cfg.engine]


def _number(v: Any) -> Any:
    return int(v) if isinstance(v, float) and v.is_integer() else v


_NAMES = """
MATCH (n:Resource) WHERE n.name_zh IS NOT NULL AND n.iri STARTS WITH $base
RETURN n.iri AS iri, n.name_zh AS name, n.name_en AS name_en, n.aliases AS aliases, n.types AS types"""


class BoltStore:
    """Read access to the property graph for the named queries (``run``) and name resolution (``names``)."""

    name = "bolt"

    def __init__(self, config: BoltConfig | None = None, **overrides: Any):
        self.config = config or BoltConfig.from_env(**overrides)
        self.t = connect(self.config)
        self._names: NameIndex | None = None

    @property
    def names(self) -> NameIndex:
        if self._names is None:
            entries = []
            for r in self.t.read(_NAMES, {"base": ID_BASE}):
                types = [str(t).rsplit(":", 1)[-1].rsplit("#", 1)[-1] for t in (r["types"] or [])]
                entries.append({"iri": r["iri"], "id": r["iri"][len(ID_BASE):], "name": r["name"], "name_en": r["name_en"], "aliases": sorted(r["aliases"] or []), "types": types})
            if not entries:
                raise KgError(f"the graph at {self.config.safe_uri} is empty: load it with `kg neo4j load`")
            self._names = NameIndex(entries)
        return self._names

    def run(self, query, **iris: str) -> list[dict[str, Any]]:
        if not query.cypher:
            raise KgError(f"the {query.name} query has no Cypher text; use --backend store")
        params = {p: iris.get(p, "") for p in query.params}  # '' = unbound (FalkorDB's client drops nulls)
        return [{k: _number(v) for k, v in r.items()} for r in self.t.read(query.cypher, params)]

    def cypher(self, text: str, params: dict[str, Any], write: bool = False) -> list[dict[str, Any]]:
        """An analyst's query; writes are refused unless ``write`` (see :func:`check_read_only`)."""
        if not write:
            check_read_only(text)
            try:
                return self.t.read(text, params)
            except KgError:
                self._explain_failure(text)
                raise
        with _errors(self.config):
            if self.t.name == "native":
                return self.t._rows(self.t.graph.query(text, params))
            with self.t._session(read=False) as s:
                return s.run(text, self.t._params(params)).data()

    def _explain_failure(self, text: str) -> None:
        """FalkorDB's Bolt port reports every error as 'unknown'; ask its native port why."""
        if not getattr(self.t, "falkordb_bolt", False) or not self.config.native_port:
            return
        native = _NativeTransport(self.config)
        try:
            native.graph.explain(text)
        except Exception as e:  # noqa: BLE001 - the parser's message is what we want
            raise KgError(_describe(e, self.config)) from None
        finally:
            native.close()

    def close(self) -> None:
        self.t.close()


# --- read-only check -------------------------------------------------------------------------

_WRITE_WORDS = ("CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "FOREACH", "LOAD")
_READ_PROCEDURES = ("db.labels", "db.relationshiptypes", "db.propertykeys", "db.indexes", "dbms.components", "db.schema.visualization", "db.constraints")


def _strip_literals(text: str) -> str:
    """``text`` with strings, quoted names and comments blanked, in one left-to-right pass (a ``//``
    inside a string is not a comment, and a quote inside a comment opens no string)."""
    import re

    skip = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)
    return skip.sub(lambda m: "''" if m.group()[0] in "'\"`" else " ", text)


def check_read_only(text: str) -> None:
    """Refuse a Cypher text that writes (outside string literals and comments), or calls an unknown procedure."""
    import re

    code = _strip_literals(text).upper()
    for w in _WRITE_WORDS:
        if re.search(rf"\b{w}\b", code):
            if w == "LOAD":
                raise KgError("refused: the query loads files or URLs (LOAD CSV, apoc.load…): network access; run with --write to allow it")
            raise KgError(f"refused: the query contains {w}, a write clause; run with --write to allow writes")
    for proc in re.findall(r"\bCALL\s+([A-Z0-9_.]+)", code):
        if proc.lower() not in _READ_PROCEDURES:
            raise KgError(f"refused: CALL {proc.lower()} may write; run with --write to allow it")
    if re.search(r"\bCALL\s*\{", code):
        raise KgError("refused: CALL { … } subqueries may write; run with --write to allow them")


# --- load and export -------------------------------------------------------------------------


@dataclass
class LoadReport:
    nodes: int
    relationships: int
    seconds: float
    engine: str
    transport: str
    batches: int

    @property
    def rows_per_second(self) -> float:
        return (self.nodes + self.relationships) / self.seconds if self.seconds else 0.0


def _batches(rows: list[dict[str, Any]], max_rows: int, max_bytes: int | None) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    size = 0
    for r in rows:
        n = len(json.dumps(r, ensure_ascii=False).encode("utf-8")) if max_bytes else 0
        if max_bytes and n > max_bytes:
            raise KgError(f"a row of {n} bytes ({r.get('iri') or r.get('s')}) exceeds this engine's message limit; load with --transport native")
        if batch and (len(batch) >= max_rows or (max_bytes and size + n > max_bytes)):
            yield batch
            batch, size = [], 0
        batch.append(r)
        size += n
    if batch:
        yield batch


def _label_clause(labels: tuple[str, ...]) -> str:
    return "".join(f":`{lab}`" for lab in labels)


def load(triples, config: BoltConfig | None = None, *, wipe: bool = False, progress: Callable[[int, int], None] | None = None) -> LoadReport:
    """Project triples into a property graph (:mod:`kg.pg`) and MERGE it into the server; idempotent."""
    from kg.pg import to_property_graph

    cfg = config or BoltConfig.from_env()
    pg = to_property_graph(triples)
    t = connect(cfg, bulk=True)
    eng = ENGINES["falkordb-native"] if getattr(t, "front", False) else _engine(cfg)  # the local front has no message cap
    total = len(pg.nodes) + len(pg.rels) + len(pg.schema)
    done = 0
    batches = 0
    t0 = time.perf_counter()
    try:
        ddl = ENGINES[cfg.engine]
        for stmt in ddl.ddl:
            try:
                t.write(stmt, {})
            except KgError:
                if not ddl.ddl_best_effort:
                    raise
        if wipe:
            while t.read("MATCH (n) RETURN count(n) AS c", {})[0]["c"]:
                t.write("MATCH (n) WITH n LIMIT 5000 DETACH DELETE n", {})
        # Into an empty graph the labels go into the MERGE pattern: FalkorDB 4.16 slows down
        # with every `SET n:Label` as the graph grows (1,850 vs 37,000 rows/s at 60k nodes).
        # Into a graph that has nodes they are SET, so a node whose classes changed since the
        # last load is updated instead of duplicated.
        empty = not t.read("MATCH (n:Resource) RETURN count(n) AS c", {})[0]["c"]

        def send(cypher: str, rows: list[dict[str, Any]], max_rows: int) -> None:
            nonlocal done, batches
            for b in _batches(rows, max_rows, eng.max_bytes):
                t.write(cypher, {"rows": b})
                done += len(b)
                batches += 1
                if progress:
                    progress(done, total)

        send("UNWIND $rows AS r MERGE (k:KgSchema {kind: r.kind, key: r.key}) SET k.iri = r.iri, k.lang = r.lang", pg.schema, eng.node_rows)
        by_labels: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for iri, props in pg.nodes.items():
            by_labels[pg.labels[iri]].append({"iri": iri, "props": props})
        for labels, rows in sorted(by_labels.items()):
            if empty or len(labels) == 1:
                stmt = f"UNWIND $rows AS r MERGE (n{_label_clause(labels)} {{iri: r.iri}}) SET n = r.props"
            else:
                stmt = f"UNWIND $rows AS r MERGE (n:Resource {{iri: r.iri}}) SET n = r.props SET n{_label_clause(labels[1:])}"
            send(stmt, rows, eng.node_rows)
        by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for s, typ, o in pg.rels:
            by_type[typ].append({"s": s, "o": o})
        for typ, rows in sorted(by_type.items()):
            send(f"UNWIND $rows AS r MATCH (a:Resource {{iri: r.s}}) MATCH (b:Resource {{iri: r.o}}) MERGE (a)-[:`{typ}`]->(b)", rows, eng.rel_rows)
    finally:
        t.close()
    return LoadReport(len(pg.nodes), len(pg.rels), time.perf_counter() - t0, cfg.engine, cfg.transport, batches)


def export_triples(config: BoltConfig | None = None, page: int = 500) -> list:
    """Read the property graph back into RDF triples (inverse of :func:`load`)."""
    from kg.pg import to_triples

    cfg = config or BoltConfig.from_env()
    t = connect(cfg)
    try:
        schema = t.read("MATCH (k:KgSchema) RETURN k.kind AS kind, k.key AS key, k.iri AS iri, k.lang AS lang", {})
        nodes, rels = [], []
        for query, sink in (
            ("MATCH (n:Resource) RETURN properties(n) AS p ORDER BY n.iri SKIP $skip LIMIT $limit", nodes),
            ("MATCH (a:Resource)-[r]->(b:Resource) RETURN a.iri AS s, type(r) AS t, b.iri AS o ORDER BY s, t, o SKIP $skip LIMIT $limit", rels),
        ):
            skip = 0
            while True:
                rows = t.read(query, {"skip": skip, "limit": page})
                sink.extend(rows)
                skip += page
                if len(rows) < page:
                    break
    finally:
        t.close()
    return to_triples([r["p"] for r in nodes], [(r["s"], r["t"], r["o"]) for r in rels], schema)


def load_store(store_path, config: BoltConfig | None = None, *, wipe: bool = False, progress: Callable[[int, int], None] | None = None) -> LoadReport:
    """Load the embedded store's current graph (all source documents) into the Bolt server."""
    from kg.stores.embedded import EmbeddedStore

    return load(EmbeddedStore(store_path).data_quads(), config, wipe=wipe, progress=progress)


def export_rdf(config: BoltConfig | None = None, fmt: str = "nt") -> bytes:
    """The property graph read back as RDF, serialized as N-Triples (``nt``) or Turtle (``ttl``)."""
    import pyoxigraph as ox

    from kg.model.terms import PREFIXES

    formats = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE}
    if fmt not in formats:
        raise KgError(f"unknown format {fmt!r}; use nt or ttl")
    triples = sorted(export_triples(config), key=str)
    kw = {"prefixes": {k: v for k, v in PREFIXES.items() if k != "id"}} if fmt == "ttl" else {}
    return ox.serialize(triples, format=formats[fmt], **kw)
