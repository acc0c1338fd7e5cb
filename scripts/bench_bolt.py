"""Property-graph loads for scripts/bench.py: `kg neo4j load` (UNWIND batches) vs one MERGE per row.

The batched load is the library's own :func:`kg.stores.bolt.load`, or the `kg neo4j load`
command itself in a new process (wall clock of the command: end to end). The per-row baseline
sends the same statements one row per query through the same transport, which is what a loader
without UNWIND does. Each load starts from an empty graph (deleted outside the timing).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from kg.graphdb import free_port

__all__ = ["compare", "fresh_graph", "load_batched", "load_per_row", "load_command", "free_port", "rss_mb"]


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


def load_command(store: Path, graphdb_dir: Path, transport: str = "auto", code: Path | None = None) -> dict[str, Any]:
    """`kg --store STORE neo4j load` as a user runs it, into the local server: rows, wall clock, write seconds
    (``code``: another checkout of park-kg to run instead of this one, for a before/after comparison)."""
    env = {**os.environ, "KG_GRAPHDB_DIR": str(graphdb_dir), "KG_TRANSPORT": transport}
    env.pop("NEO4J_URI", None)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    import resource

    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(
        [sys.executable, "-m", "kg.cli", "--store", str(store), "neo4j", "load"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=code,  # `python -m` puts the working directory first on the path
        check=False,
    )
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime
    m = _LOADED.search(p.stdout)
    if p.returncode or not m:
        raise RuntimeError(f"kg neo4j load failed: {p.stderr.strip()[-300:] or p.stdout}")
    rows = int(m[1].replace(",", "")) + int(m[2].replace(",", ""))
    return {
        "rows": rows,
        "seconds": float(m[4]),
        "total_seconds": wall,
        "cpu_seconds": cpu,
        "phases": p.stdout.rpartition("; ")[2].strip(),
    }


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


def compare(store: Path, before: Path, runs: int, work: Path) -> list[dict[str, Any]]:
    """`kg neo4j load` of ``store`` by the code in ``before`` and by this checkout, alternately, ``runs`` times each,
    into one local server (the graph deleted before each load, outside the timing)."""
    from kg.graphdb import GraphDb

    db = GraphDb(work / "graphdb")
    st = db.start(port=free_port(), bolt_port=free_port())
    out = []
    try:
        for i in range(runs):
            for who, code in (("before", before), ("after", Path(__file__).resolve().parent.parent)):
                fresh_graph(st.port)
                r = load_command(store, db.dir, code=code)
                out.append({"who": who, "run": i, **r})
                print(
                    f"{who:6} {r['rows']:,} rows: {r['rows'] / r['total_seconds']:,.0f} rows/s end to end "
                    f"({r['total_seconds']:.2f} s, CPU {r['cpu_seconds']:.2f} s), "
                    f"{r['rows'] / r['seconds']:,.0f} writing; " + r["phases"],
                    flush=True,
                )
    finally:
        db.stop()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description="`kg neo4j load` end to end: another checkout (before) against this one.")
    ap.add_argument("store", type=Path, help="a built store (kg build)")
    ap.add_argument("--before", type=Path, required=True, help="the park-kg checkout to compare with (e.g. main)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-bolt"))
    args = ap.parse_args()
    res = compare(args.store, args.before, args.runs, args.work)
    for who in ("before", "after"):
        e2e = sorted(r["rows"] / r["total_seconds"] for r in res if r["who"] == who)
        wr = sorted(r["rows"] / r["seconds"] for r in res if r["who"] == who)
        cpu = sorted(r["cpu_seconds"] for r in res if r["who"] == who)
        print(
            f"{who:6} median {e2e[len(e2e) // 2]:,.0f} rows/s end to end, {wr[len(wr) // 2]:,.0f} writing, "
            f"CPU of the command {cpu[len(cpu) // 2]:.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
