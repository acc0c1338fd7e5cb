"""Property-graph loads for scripts/bench.py: `kg neo4j load` (UNWIND batches) vs one MERGE per row.

The batched load is the library's own :func:`kg.stores.bolt.load`, or the `kg neo4j load`
command itself in a new process (wall clock of the command: end to end). The per-row baseline
sends the same statements one row per query through the same transport, which is what a loader
without UNWIND does. Each load starts from an empty graph (deleted outside the timing).
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from kg.graphdb import free_port

__all__ = ["fresh_graph", "load_batched", "load_per_row", "load_command", "free_port", "rss_mb"]


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux /proc), in MB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        return next(int(ln.split()[1]) / 1024 for ln in f if ln.startswith("VmRSS:"))


def fresh_graph(port: int) -> None:
    """Delete FalkorDB's graph 'falkordb' (what both transports write to)."""
    from falkordb import FalkorDB

    with contextlib.suppress(Exception):
        FalkorDB(host="127.0.0.1", port=port).select_graph("falkordb").delete()


def load_batched(quads: list, cfg) -> dict[str, Any]:
    """:func:`kg.stores.bolt.load` in this process: rows, seconds writing, seconds of the whole call."""
    from kg.stores.bolt import load

    r = load(quads, cfg)
    return {"rows": r.rows, "seconds": r.seconds, "total_seconds": r.total_seconds, "batches": r.batches}


_LOADED = re.compile(r"loaded ([\d,]+) nodes and ([\d,]+) relationships.*?([\d,]+) rows/s writing \(([\d.]+) s")


def load_command(store: Path, graphdb_dir: Path, transport: str = "auto") -> dict[str, Any]:
    """`kg --store STORE neo4j load` as a user runs it, into the local server: rows, wall clock, write seconds."""
    env = {**os.environ, "KG_GRAPHDB_DIR": str(graphdb_dir), "KG_TRANSPORT": transport}
    env.pop("NEO4J_URI", None)
    t0 = time.perf_counter()
    p = subprocess.run(
        [sys.executable, "-m", "kg.cli", "--store", str(store), "neo4j", "load"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    wall = time.perf_counter() - t0
    m = _LOADED.search(p.stdout)
    if p.returncode or not m:
        raise RuntimeError(f"kg neo4j load failed: {p.stderr.strip()[-300:] or p.stdout}")
    rows = int(m[1].replace(",", "")) + int(m[2].replace(",", ""))
    return {"rows": rows, "seconds": float(m[4]), "total_seconds": wall}


def load_per_row(quads: list, cfg, limit: int | None = None) -> dict[str, Any]:
    """One MERGE query per node row, then one per relationship row (at most ``limit`` rows in all)."""
    from kg.pg import to_property_graph
    from kg.stores.bolt import connect, create_indexes

    pg = to_property_graph(quads, one_direction=True)
    t = connect(cfg, bulk=True)
    rows = 0
    t0 = time.perf_counter()
    try:
        create_indexes(t, cfg.engine)
        nodes = list(pg.nodes.items())[: limit // 2 if limit else None]
        for iri, props in nodes:
            labels = "".join(f":`{lab}`" for lab in pg.labels[iri][1:])
            t.write(
                "MERGE (n:Resource {iri: $iri}) SET n = $props" + (f" SET n{labels}" if labels else ""),
                {"iri": iri, "props": props},
            )
            rows += 1
        kept = {iri for iri, _ in nodes}
        for s, typ, o in pg.rels:
            if limit is not None and rows >= limit:
                break
            if s in kept and o in kept:
                t.write(
                    f"MATCH (a:Resource {{iri: $s}}) MATCH (b:Resource {{iri: $o}}) "
                    f"MERGE (a)-[x:`{typ}`]->(b) SET x = $p",
                    {"s": s, "o": o, "p": pg.rel_props.get((s, typ, o), {})},
                )
                rows += 1
    finally:
        t.close()
    seconds = time.perf_counter() - t0
    return {"rows": rows, "seconds": seconds, "total_seconds": seconds, "batches": rows}
