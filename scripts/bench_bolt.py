"""Property-graph loads for scripts/bench.py: UNWIND batches (kg.stores.bolt.load) vs one MERGE per row.

The batched load is the library's own :func:`kg.stores.bolt.load`. The per-row baseline
sends the same MERGE statements one row per query through the same transport, which is
what a loader without UNWIND does. Each load starts from an empty graph (the graph is
deleted through the native client, outside the timing).
"""

from __future__ import annotations

import contextlib
import re
import time
from typing import Any

__all__ = ["fresh_graph", "load_batched", "load_per_row", "free_port", "rss_mb"]


from kg.graphdb import free_port  # noqa: E402 - re-exported for bench.py


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux /proc), in MB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        return next(int(ln.split()[1]) / 1024 for ln in f if ln.startswith("VmRSS:"))


def fresh_graph(port: int) -> None:
    """Delete FalkorDB's graph 'falkordb' (what both transports write to)."""
    from falkordb import FalkorDB

    with contextlib.suppress(Exception):
        FalkorDB(host="127.0.0.1", port=port).select_graph("falkordb").delete()


_SET_LABELS = re.compile(r"MERGE \(n:Resource \{iri: r\.iri\}\) SET n = r\.props SET n((?::`[^`]+`)+)$")


def _labels_in_pattern(cypher: str) -> str:
    """The node statement with its labels in the MERGE pattern instead of a SET after it.

    >>> _labels_in_pattern("UNWIND $rows AS r MERGE (n:Resource {iri: r.iri}) SET n = r.props SET n:`Company`:`Organization`")
    'UNWIND $rows AS r MERGE (n:Resource:`Company`:`Organization` {iri: r.iri}) SET n = r.props'
    """
    return _SET_LABELS.sub(lambda m: f"MERGE (n:Resource{m.group(1)} {{iri: r.iri}}) SET n = r.props", cypher)


def load_batched(quads: list, cfg, labels_in_pattern: bool = False) -> dict[str, Any]:
    """:func:`kg.stores.bolt.load`; with ``labels_in_pattern`` its node statements are rewritten.

    FalkorDB 4.16 slows down with every ``SET n:Label`` on a growing graph (60,000 nodes:
    1,850 rows/s against 37,000 with the labels in the MERGE pattern); the rewrite measures
    what the loader would reach with that one-line change (this runs in a forked child).
    """
    from kg.stores import bolt

    if labels_in_pattern:
        real = bolt.connect

        def connect(c, **kw):
            t = real(c, **kw)
            write = t.write
            t.write = lambda cypher, params: write(_labels_in_pattern(cypher), params)
            return t

        bolt.connect = connect
    r = bolt.load(quads, cfg)
    return {"rows": r.nodes + r.relationships, "seconds": r.seconds, "batches": r.batches}


def load_per_row(quads: list, cfg, limit: int | None = None) -> dict[str, Any]:
    """One MERGE query per node row, then one per relationship row (at most ``limit`` rows in all)."""
    from kg.pg import to_property_graph
    from kg.stores.bolt import ENGINES, connect

    pg = to_property_graph(quads)
    t = connect(cfg, bulk=True)
    rows = 0
    t0 = time.perf_counter()
    try:
        for stmt in ENGINES[cfg.engine].ddl:
            with contextlib.suppress(Exception):
                t.write(stmt, {})
        nodes = list(pg.nodes.items())[: limit // 2 if limit else None]
        for iri, props in nodes:
            labels = "".join(f":`{lab}`" for lab in pg.labels[iri][1:])
            t.write("MERGE (n:Resource {iri: $iri}) SET n = $props" + (f" SET n{labels}" if labels else ""), {"iri": iri, "props": props})
            rows += 1
        kept = {iri for iri, _ in nodes}
        for s, typ, o in pg.rels:
            if limit is not None and rows >= limit:
                break
            if s in kept and o in kept:
                t.write(f"MATCH (a:Resource {{iri: $s}}) MATCH (b:Resource {{iri: $o}}) MERGE (a)-[:`{typ}`]->(b)", {"s": s, "o": o})
                rows += 1
    finally:
        t.close()
    return {"rows": rows, "seconds": time.perf_counter() - t0, "batches": rows}
