"""`kg neo4j load`: the RDF dataset projected into a property graph (:mod:`kg.pg`), written in UNWIND batches."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kg.errors import KgError
from kg.progress import Progress, reporter
from kg.stores.bolt.config import BoltConfig
from kg.stores.bolt.engines import Engine, create_indexes
from kg.stores.bolt.transports import batch_engine, connect

__all__ = ["LoadReport", "load", "load_store", "batches"]


@dataclass
class LoadReport:
    """What a load wrote; ``seconds`` is the time spent writing, ``total_seconds`` the whole call (end to end)."""

    nodes: int
    relationships: int
    seconds: float
    engine: str
    transport: str
    batches: int
    total_seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds: connect, read+map, prepare, write

    @property
    def rows(self) -> int:
        return self.nodes + self.relationships

    @property
    def rows_per_second(self) -> float:
        """Rows per second of writing (the server's side)."""
        return self.rows / self.seconds if self.seconds else 0.0

    @property
    def end_to_end_rows_per_second(self) -> float:
        """Rows per second of the whole call: reading the store, mapping, indexes and writing."""
        return self.rows / self.total_seconds if self.total_seconds else 0.0


def batches(rows: list[dict[str, Any]], max_rows: int, max_bytes: int | None) -> Iterator[list[dict[str, Any]]]:
    """``rows`` in batches of at most ``max_rows`` rows and (when set) ``max_bytes`` bytes of JSON."""
    batch: list[dict[str, Any]] = []
    size = 0
    for r in rows:
        n = len(json.dumps(r, ensure_ascii=False).encode("utf-8")) if max_bytes else 0
        if max_bytes and n > max_bytes:
            raise KgError(
                f"a row of {n} bytes ({r.get('iri') or r.get('s')}) exceeds this engine's message limit; "
                "load with --transport native"
            )
        if batch and (len(batch) >= max_rows or (max_bytes and size + n > max_bytes)):
            yield batch
            batch, size = [], 0
        batch.append(r)
        size += n
    if batch:
        yield batch


def _labels(labels: tuple[str, ...]) -> str:
    return "".join(f":`{lab}`" for lab in labels)


class _Writer:
    """Sends statements in batches through one transport, counting rows and reporting progress."""

    def __init__(self, t, eng: Engine, progress: Progress | None):
        self.t, self.eng, self.report = t, eng, reporter(progress)
        self.done = self.total = self.batches = 0
        self.seconds = 0.0

    def phase(self, total: int) -> None:
        """A new phase with its own bar (the relationships are counted only once the nodes are written)."""
        self.done, self.total = 0, total

    def send(self, phase: str, cypher: str, rows: list[dict[str, Any]], max_rows: int) -> None:
        t0 = time.perf_counter()
        for n in self.t.write_batches(cypher, batches(rows, max_rows, self.eng.max_bytes)):
            self.done += n
            self.batches += 1
            self.report(phase, self.done, self.total, "rows")
        self.seconds += time.perf_counter() - t0


def _write_nodes(w: _Writer, pg, empty: bool) -> None:
    # Into an empty graph: CREATE with every label in the pattern (FalkorDB 4.16 slows down with each
    # `SET n:Label` as the graph grows: 1,850 vs 37,000 rows/s at 60k nodes). Into a graph that has
    # nodes: MERGE on iri and SET the labels, so a node whose classes changed is updated, not duplicated.
    # A row is the node's property map (which holds its iri): nothing is sent twice.
    by_labels: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for iri, props in pg.nodes.items():
        by_labels[pg.labels[iri]].append(props)
    for labels, rows in sorted(by_labels.items()):
        if empty:
            stmt = f"UNWIND $rows AS r CREATE (n{_labels(labels)}) SET n = r"
        else:
            extra = f" SET n{_labels(labels[1:])}" if len(labels) > 1 else ""
            stmt = f"UNWIND $rows AS r MERGE (n:Resource {{iri: r.iri}}) SET n = r{extra}"
        w.send("writing nodes", stmt, rows, w.eng.node_rows)


def _write_rels(w: _Writer, pg, empty: bool) -> None:
    by_type: dict[tuple[str, bool], list[dict[str, Any]]] = defaultdict(list)
    for s, typ, o in pg.rels:
        p = pg.rel_props.get((s, typ, o))
        by_type[(typ, p is not None)].append({"s": s, "o": o, "p": p} if p is not None else {"s": s, "o": o})
    verb = "CREATE" if empty else "MERGE"
    for (typ, has_props), rows in sorted(by_type.items()):
        stmt = (
            f"UNWIND $rows AS r MATCH (a:Resource {{iri: r.s}}) MATCH (b:Resource {{iri: r.o}}) "
            f"{verb} (a)-[x:`{typ}`]->(b)" + (" SET x = r.p" if has_props else "")
        )
        w.send("writing relationships", stmt, rows, w.eng.rel_rows)


def _prepare(t, cfg: BoltConfig, wipe: bool) -> bool:
    """The optional wipe and the indexes; True if the graph is empty."""
    if wipe:
        t.wipe()
    create_indexes(t, cfg.engine)
    return not t.read("MATCH (n:Resource) RETURN count(n) AS c", {})[0]["c"]


def load(
    triples, config: BoltConfig | None = None, *, wipe: bool = False, progress: Progress | None = None
) -> LoadReport:
    """Project triples into a property graph (:mod:`kg.pg`) and write it into the server; idempotent."""
    from kg.pg import by_predicate

    return _run(lambda: by_predicate(triples), config, wipe, progress)


def load_store(
    store_path, config: BoltConfig | None = None, *, wipe: bool = False, progress: Progress | None = None
) -> LoadReport:
    """Load the embedded store's current graph (all source documents) into the Bolt server; ``total_seconds``
    counts reading the store too. The store is read a predicate at a time while it is projected
    (:func:`~kg.stores.embedded.data_by_predicate`), never as a list of every quad."""
    from kg.stores.embedded import EmbeddedStore, data_by_predicate

    return _run(lambda: data_by_predicate(EmbeddedStore(store_path)), config, wipe, progress)


def _run(source, config: BoltConfig | None, wipe: bool, progress: Progress | None) -> LoadReport:
    """Connect first (a server that is down costs no reading or mapping), then overlap what waits on the server
    with what runs here: the indexes while the store is read and projected into nodes, the nodes' writing while
    the relationships are projected. Nothing is deleted before the reading succeeded (the wipe, an older
    mapping's bookkeeping). ``source()`` gives the predicate groups of :func:`kg.pg.project`."""
    from concurrent.futures import ThreadPoolExecutor

    from kg.pg import Projection

    started = time.perf_counter()
    report, phases = reporter(progress), {}
    cfg = config or BoltConfig.from_env()

    def phase(name: str) -> None:
        phases[name] = time.perf_counter() - started - sum(phases.values())

    t = connect(cfg, bulk=True)
    phase("connect")
    try:
        with ThreadPoolExecutor(1) as ex:
            prepared = None if wipe else ex.submit(_prepare, t, cfg, False)
            report("reading and projecting the graph")
            proj = Projection()
            for p, pairs in source():
                proj.add(p, pairs)
            pg = proj.nodes()
            phase("read+map")
            empty = prepared.result() if prepared else _prepare(t, cfg, True)
            if not empty:
                t.write("MATCH (k:KgSchema) DETACH DELETE k", {})  # park-kg < 0.9 kept its key table in the graph
            phase("prepare")
            rels = ex.submit(proj.relationships, pg, True)  # projected while the nodes are written
            w = _Writer(t, batch_engine(t, cfg), progress)
            w.phase(len(pg.nodes))
            _write_nodes(w, pg, empty)
            rels.result()
            w.phase(len(pg.rels))
            _write_rels(w, pg, empty)
        phase("write")
    finally:
        t.close()
    total = time.perf_counter() - started
    return LoadReport(len(pg.nodes), len(pg.rels), w.seconds, cfg.engine, cfg.transport, w.batches, total, phases)
