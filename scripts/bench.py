#!/usr/bin/env python3
"""One command for park-kg's figures: each beside its baseline, measured in the same run.

    python scripts/bench.py --preset small                  # ~10k triples, a minute
    python scripts/bench.py --preset province               # ~1M triples, < 15 min on 2 cores
    python scripts/bench.py --preset province --json out.json --markdown out.md
    python scripts/bench.py --orgs 6000 --parks 30 --skip load queries cli views   # the Bolt rows at ~300k triples

Sections (each row: median and p95 over the runs, the baseline's median, their ratio,
the target where the issue sets one, and the peak RSS of the process that ran it):

* load — writing the compiled dataset into a store generation, the whole `kg build
  --no-shacl`, and rdflib's memory store, each against raw ``pyoxigraph`` ``bulk_load``
  of the same N-Quads; an incremental rebuild after one changed facts file against the
  full build; SHACL on every document (a first build's) against the full build, and on the
  changed document;
* queries — each named query in the process on the embedded store; ``path`` also against
  the networkx projection it replaced; then each over Bolt (FalkorDB, neo4j driver) on the
  same data, against the store;
* cli — ``kg members NAME`` and ``kg --help`` in a new process, against ``python -c pass``;
* property graph — rows/s into the local FalkorDB: native client and Bolt, UNWIND batches
  and one MERGE per row, for the seed graph and the synthetic graph; the `kg neo4j load`
  command in a new process, end to end (rows / wall clock of the command) beside its
  writing-only rate; the named queries over Bolt against the embedded store (target ≤ 5×);
* views — `kg view` HTML for 500 and 5,000 nodes (scripts/bench_views.py);
* endpoint — `kg serve` (and `--engine oxigraph`) against `oxigraph serve-read-only` on the same store, 8
  clients sending a cheap query: requests/s, median latency, CPU per answer (scripts/bench_endpoint.py).

Each measurement runs in a forked child, so "peak MB" is that child's own maximum RSS
(it includes the ~60 MB of the interpreter and the modules it shares with the parent).
Not a test: figures depend on the machine; no test asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import bench_bolt  # noqa: E402
import bench_endpoint  # noqa: E402
import bench_views  # noqa: E402
import synth  # noqa: E402

PY = sys.executable
KG = str(Path(PY).parent / "kg")
ROWS: list[dict[str, Any]] = []


# --- measuring ---------------------------------------------------------------------------------


def _child(fn: Callable, args: tuple) -> tuple[Any, float]:
    out = fn(*args)
    return out, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def isolated(fn: Callable, *args: Any) -> tuple[Any, float]:
    """``fn(*args)`` in a fresh forked process: (its result, its peak RSS in MB)."""
    with ProcessPoolExecutor(1, mp_context=get_context("fork")) as ex:
        return ex.submit(_child, fn, args).result()


def stats(xs: list[float]) -> dict[str, float]:
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, max(0, round(0.95 * len(xs) + 0.5) - 1))]
    return {"median": statistics.median(xs), "p95": p95, "runs": len(xs)}


def row(
    section: str,
    what: str,
    unit: str,
    value: dict,
    baseline: dict | None = None,
    base_what: str = "",
    target: str = "",
    mb: float | None = None,
    higher_is_better: bool = False,
    note: str = "",
) -> dict[str, Any]:
    r = {
        "section": section,
        "what": what,
        "unit": unit,
        **value,
        "baseline": base_what,
        "target": target,
        "peak_mb": mb,
        "note": note,
        "higher_is_better": higher_is_better,
    }
    if baseline:
        r["baseline_median"] = baseline["median"]
        r["ratio"] = value["median"] / baseline["median"] if baseline["median"] else None
    ROWS.append(r)
    print(_line(r), flush=True)
    return r


def _fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "–"
    if unit == "ms":
        return f"{v:,.1f}" if v < 100 else f"{v:,.0f}"
    if unit == "s":
        return f"{v:,.2f}"
    return f"{v:,.0f}"


def _line(r: dict[str, Any]) -> str:
    ratio = f"{r['ratio']:.2f}×" if r.get("ratio") is not None else "–"
    base = f"{_fmt(r.get('baseline_median'), r['unit'])} ({r['baseline']})" if r.get("baseline") else "–"
    mb = f"{r['peak_mb']:,.0f}" if r.get("peak_mb") else "–"
    return (
        f"| {r['section']} | {r['what']} | {_fmt(r['median'], r['unit'])} | {_fmt(r['p95'], r['unit'])} | {r['unit']} "
        f"| {base} | "
        f"{ratio} | {r['target'] or '–'} | {mb} |"
    )


HEADER = (
    "| section | measurement | median | p95 | unit | baseline (median) | ratio | target | peak MB |\n"
    "|---|---|---:|---:|---|---|---:|---|---:|"
)


def timed(fn: Callable, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


# --- load --------------------------------------------------------------------------------------


def raw_bulk_load(nq: Path, work: Path) -> float:
    import pyoxigraph as ox

    d = work / "raw"
    shutil.rmtree(d, ignore_errors=True)
    t = time.perf_counter()
    s = ox.Store(str(d))
    s.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    s.flush()
    del s
    return time.perf_counter() - t


def store_write(facts_dir: Path, work: Path) -> float:
    """kg build's store stage: the compiled quads (+ ontology) into a new generation's store."""
    from kg.build import compile_file, generation
    from kg.facts import load_facts
    from kg.progress import reporter

    facts = load_facts(facts_dir)
    compiled = [(ff, compile_file(ff)) for ff in facts.files]
    gen = work / "gen"
    shutil.rmtree(gen, ignore_errors=True)
    gen.mkdir()
    t = time.perf_counter()
    generation.write_data(gen, compiled, sum(len(q) for _ff, q in compiled), reporter(None))
    return time.perf_counter() - t


def full_build(facts_dir: Path, store: Path) -> dict[str, float]:
    """The whole ``kg build --no-shacl`` and when each phase started (its progress steps)."""
    from kg.build import build

    first: dict[str, float] = {}
    t0 = time.perf_counter()
    build(
        facts_dir,
        store,
        force=True,
        shacl=False,
        progress=lambda step: first.setdefault(step.phase, time.perf_counter()),
    )
    total = time.perf_counter() - t0
    compiling = first.get("compiling", first.get("checking references across files", t0))  # none: read while written
    return {
        "total": total,
        "facts": compiling - t0,
        "compile": t0 + total - compiling,
        "overlapped": "compiling" not in first,
    }


def rdflib_memory(nq: Path) -> float:
    from rdflib import Dataset

    t = time.perf_counter()
    Dataset().parse(str(nq), format="nquads")
    return time.perf_counter() - t


def _touch(facts_dir: Path, i: int) -> None:
    """Change one facts file (a different one each run): an English name gains a suffix."""
    files = sorted(facts_dir.glob("park*.yaml"))
    f = files[(i * 7) % len(files)]
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("name_en: ", f"name_en: Rev{i} ", 1), encoding="utf-8")


def incremental(facts_dir: Path, store: Path, i: int, shacl: bool) -> float:
    from kg.build import build

    _touch(facts_dir, i)
    r = build(facts_dir, store, shacl=shacl)
    assert not r.noop
    return r.seconds


def shacl_all(facts_dir: Path) -> tuple[float, int]:
    """SHACL (kg.validate) on every document, as a first build with SHACL runs it: (seconds, quads)."""
    from kg.build import compile_file, doc_iri, names_index
    from kg.build.compile import class_iris
    from kg.facts import load_facts
    from kg.validate import validate_documents

    facts = load_facts(facts_dir)
    docs = {doc_iri(ff.source.id): compile_file(ff) for ff in facts.files}
    types = {e["iri"]: class_iris(e["types"]) for e in names_index(facts)["entities"]}
    t = time.perf_counter()
    validate_documents(docs, lambda iri: types.get(iri, ()))
    return time.perf_counter() - t, sum(map(len, docs.values()))


def section_load(data: Path, work: Path, runs: int, n_quads: int) -> None:
    facts = data / "facts"
    raw = [isolated(raw_bulk_load, data / "dataset.nq", work) for _ in range(runs)]
    base = stats([n_quads / s for s, _ in raw])
    row(
        "load",
        f"raw pyoxigraph bulk_load ({n_quads:,} quads)",
        "quads/s",
        base,
        mb=max(m for _, m in raw),
        higher_is_better=True,
    )
    w = [isolated(store_write, facts, work) for _ in range(runs)]
    row(
        "load",
        "kg build: store stage (compiled quads → generation)",
        "quads/s",
        stats([n_quads / s for s, _ in w]),
        base,
        "raw bulk_load",
        "≥ 0.80×",
        max(m for _, m in w),
        True,
    )
    fb = [isolated(full_build, facts, work / "store") for _ in range(max(1, runs - 1))]
    full = stats([r["total"] for r, _ in fb])
    raw_mb = max(m for _, m in raw)
    row(
        "load",
        "kg build --no-shacl, whole (facts → store)",
        "quads/s",
        stats([n_quads / r["total"] for r, _ in fb]),
        base,
        "raw bulk_load",
        "≥ 0.50×",
        max(m for _, m in fb),
        True,
        note=(
            "read while written (other processes read the facts): {:.1f} s, then the checks across files {:.1f} s"
            if fb[0][0]["overlapped"]
            else "stages (median s): read+check facts {:.1f}, compile+write (streamed) {:.1f}"
        ).format(*(statistics.median(r[k] for r, _ in fb) for k in ("facts", "compile")))
        + f"; peak memory {max(m for _, m in fb) / raw_mb:.2f}× raw's (target ≤ 1.2×)",
    )
    rd, mb = isolated(rdflib_memory, data / "dataset.nq")
    row(
        "load",
        "rdflib memory store (Dataset.parse nquads)",
        "quads/s",
        stats([n_quads / rd]),
        base,
        "raw bulk_load",
        "",
        mb,
        True,
    )
    sh = [isolated(shacl_all, facts) for _ in range(max(1, runs - 1))]
    row(
        "load",
        f"SHACL (SPARQL in Oxigraph, kg.validate) on all {sh[0][0][1]:,} quads",
        "s",
        stats([r[0] for r, _ in sh]),
        full,
        "full build --no-shacl",
        "≤ 1.00×",
        max(m for _, m in sh),
    )
    inc = [isolated(incremental, facts, work / "store", i, False) for i in range(runs)]
    row(
        "load",
        "incremental rebuild, 1 facts file changed (--no-shacl)",
        "s",
        stats([s for s, _ in inc]),
        full,
        "full build --no-shacl",
        "≤ 0.10×",
        max(m for _, m in inc),
    )
    incs = [isolated(incremental, facts, work / "store", runs + i, True) for i in range(runs)]
    row(
        "load",
        "incremental rebuild, 1 facts file changed, SHACL on it",
        "s",
        stats([s for s, _ in incs]),
        full,
        "full build --no-shacl",
        "",
        max(m for _, m in incs),
    )


# --- queries -----------------------------------------------------------------------------------


def _calls(p: dict[str, Any]) -> list[tuple[str, str, tuple, dict]]:
    return [
        ("members (largest community)", "members", (p["community"],), {}),
        ("members (largest group: the 商会)", "members", (p["chamber"],), {}),
        ("memberships (busiest member)", "memberships", (p["member"],), {}),
        ("related --depth 1 (company)", "related", (p["company"],), {}),
        ("related --depth 1 (community)", "related", (p["community"],), {}),
        ("path (across the province)", "path", tuple(p["path"]), {}),
        ("chain", "chain", (p["chain"],), {}),
        ("orgs (all)", "orgs", (), {}),
    ]


TARGET_MS = {"members": "≤ 10 ms", "memberships": "≤ 10 ms", "related": "≤ 10 ms", "path": "≤ 50 ms"}


def query_times(store_kind: str, where: Any, probes: dict, runs: int) -> dict[str, Any]:
    from kg import queries

    if store_kind == "store":
        from kg.stores.embedded import EmbeddedStore

        store = EmbeddedStore(where)
    else:
        from kg.stores.bolt import BoltConfig, BoltStore

        store = BoltStore(BoltConfig(**where))
    out = {}
    for label, fn, args, kw in _calls(probes):
        f = getattr(queries, fn)
        t = time.perf_counter()
        rows = sum(len(t_.rows) for t_ in f(store, *args, **kw).tables)
        first = time.perf_counter() - t
        n = runs if store_kind == "store" and fn != "orgs" else 1 if fn == "orgs" else max(3, runs // 4)
        out[label] = {"first": first, "times": timed(lambda: f(store, *args, **kw), n), "rows": rows, "fn": fn}
    if hasattr(store, "close"):
        store.close()
    return out


def networkx_path(store_path: Path, a: str, b: str) -> float:
    from kg import analytics
    from kg.queries import texts as q
    from kg.stores.embedded import EmbeddedStore

    s = EmbeddedStore(store_path)
    src, dst = s.names.resolve(a).iri, s.names.resolve(b).iri
    t = time.perf_counter()
    analytics.shortest_path(analytics.project(s.run(q.ALL_EDGES)), src, dst)
    return time.perf_counter() - t


def section_queries(store: Path, probes: dict, runs: int, label: str) -> dict[str, Any]:
    res, mb = isolated(query_times, "store", store, probes, runs)
    for what, r in res.items():
        base = None
        if r["fn"] == "path":
            nx_s, _ = isolated(networkx_path, store, *probes["path"])
            base = stats([nx_s * 1000])
        row(
            "queries",
            f"{what} [{label}], {r['rows']} rows; first call {r['first'] * 1000:.0f} ms",
            "ms",
            stats([t * 1000 for t in r["times"]]),
            base,
            "networkx projection (before)" if base else "",
            TARGET_MS.get(r["fn"], ""),
            mb,
        )
    return res


# --- cli ---------------------------------------------------------------------------------------


def cli_times(argv: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        out.append(time.perf_counter() - t)
    return out


def section_cli(store: Path, name: str, runs: int) -> None:
    base = stats([s * 1000 for s in cli_times([PY, "-c", "pass"], runs)])
    row("cli", "python -c pass", "ms", base)
    row("cli", "kg --help", "ms", stats([s * 1000 for s in cli_times([KG, "--help"], runs)]), base, "python -c pass")
    row(
        "cli",
        f"kg members {name} (new process)",
        "ms",
        stats([s * 1000 for s in cli_times([KG, "--store", str(store), "members", name], runs)]),
        base,
        "python -c pass",
        "≤ 300 ms",
    )
    help_ = stats([s * 1000 for s in cli_times([KG, "--help"], runs)])
    stats_ = stats([s * 1000 for s in cli_times([KG, "--store", str(store), "stats"], runs)])
    row("cli", "kg stats (new process; counts from the build's record)", "ms", stats_, help_, "kg --help")


# --- property graph ----------------------------------------------------------------------------


def _data_quads(store: Path, max_quads: int | None = None) -> list:
    """The store's data quads; with ``max_quads``, only whole documents up to about that many."""
    from kg.stores.embedded import EmbeddedStore

    quads = EmbeddedStore(store).data_quads()
    if max_quads is None or len(quads) <= max_quads:
        return quads
    by_doc: dict[str, list] = {}
    for q in quads:
        by_doc.setdefault(q.graph_name.value, []).append(q)
    out: list = []
    for doc in sorted(by_doc):
        if len(out) >= max_quads:
            break
        out += by_doc[doc]
    return out


def pg_load(store: Path, cfg: dict, how: str, limit: int | None = None) -> dict[str, Any]:
    from kg.stores.bolt import BoltConfig

    quads = _data_quads(store)
    bench_bolt.fresh_graph(cfg["native_port"])
    c = BoltConfig(**cfg)
    if how == "per-row":
        return bench_bolt.load_per_row(quads, c, limit)
    return bench_bolt.load_batched(quads, c)


def pg_command(store: Path, native_port: int, graphdb_dir: Path, transport: str) -> dict[str, Any]:
    bench_bolt.fresh_graph(native_port)
    return bench_bolt.load_command(store, graphdb_dir, transport)


HOW = {"unwind": "UNWIND batches (kg.stores.bolt.load)", "per-row": "one MERGE per row"}


def _pg_rows(label: str, res: dict, base_key: tuple[str, str], targets: dict) -> None:
    base = res[base_key][0]
    for (transport, how), (s_, rows_, mb) in res.items():
        first = (transport, how) == base_key
        row(
            "property graph",
            f"{label}: {transport} client, {HOW[how]}, {rows_:,} rows (writing)",
            "rows/s",
            s_,
            None if first else base,
            "" if first else f"{base_key[0]}, {HOW[base_key[1]]}",
            targets.get((transport, how), ""),
            mb,
            True,
        )


def section_pg(
    seed_store: Path, big_store: Path, big_label: str, work: Path, runs: int, probes: dict, query_runs: int
) -> None:
    from kg.graphdb import GraphDb

    db = GraphDb(work / "graphdb")
    st = db.start(port=bench_bolt.free_port(), bolt_port=bench_bolt.free_port())
    try:

        def cfg(transport: str) -> dict:
            return {"uri": st.bolt_uri, "engine": "falkordb", "transport": transport, "native_port": st.port}

        def measure(store: Path, plan: list[tuple[str, str, dict]], n: int) -> dict:
            res = {}
            for transport, how, kw in plan:
                reps = [isolated(pg_load, store, cfg(transport), how, kw.get("limit")) for _ in range(n)]
                res[(transport, how)] = (
                    stats([r["rows"] / r["seconds"] for r, _ in reps]),
                    reps[0][0]["rows"],
                    max(m for _, m in reps),
                )
            return res

        seed = measure(
            seed_store,
            [("native", "unwind", {}), ("native", "per-row", {}), ("bolt", "unwind", {}), ("bolt", "per-row", {})],
            runs,
        )
        _pg_rows("seed", seed, ("native", "unwind"), {})
        big = measure(big_store, [("native", "per-row", {"limit": 4000}), ("bolt", "unwind", {})], 1)
        section_pg_command(big_store, big_label, st, db.dir, big)
        rss = bench_bolt.rss_mb(st.pid)  # the last load (kg neo4j load, whole graph) stays for the queries
        row("property graph", f"FalkorDB server RSS with the {big_label} graph", "MB", stats([rss]))
        section_bolt_queries(big_store, big_label, cfg("bolt"), probes, query_runs)
    finally:
        db.stop()


def section_pg_command(store: Path, label: str, st, graphdb_dir: Path, lib: dict) -> None:
    """`kg neo4j load` in a new process, end to end (wall clock of the command) and writing only."""
    for transport in ("bolt", "auto"):
        r, _ = isolated(pg_command, store, st.port, graphdb_dir, transport)
        how = "native client (default)" if transport == "auto" else "Bolt (our server)"
        e2e = stats([r["rows"] / r["total_seconds"]])
        row(
            "property graph",
            f"{label}: `kg neo4j load`, {how}, {r['rows']:,} rows, end to end (wall clock of the command)",
            "rows/s",
            e2e,
            lib[("native", "per-row")][0],
            "one MERGE per row (native, writing)",
            "≥ 30,000" if transport == "auto" else "",
            None,
            True,
        )
        row(
            "property graph",
            f"{label}: `kg neo4j load`, {how}, writing only (server side)",
            "rows/s",
            stats([r["rows"] / r["seconds"]]),
            e2e,
            "the same command end to end",
            "",
            None,
            True,
        )
    _pg_rows(label, lib, ("native", "per-row"), {})


def section_bolt_queries(store: Path, label: str, bolt_cfg: dict, probes: dict, query_runs: int) -> None:
    store_q, _ = isolated(query_times, "store", store, probes, query_runs)
    bolt_q, mb = isolated(query_times, "bolt", bolt_cfg, probes, query_runs)
    for what, r in bolt_q.items():
        base = stats([t * 1000 for t in store_q[what]["times"]])
        row(
            "queries over Bolt",
            f"{what} [{label}], {r['rows']} rows; first call {r['first'] * 1000:.0f} ms",
            "ms",
            stats([t * 1000 for t in r["times"]]),
            base,
            "embedded store",
            "≤ 5×",
            mb,
        )


# --- views -------------------------------------------------------------------------------------


def view_build(n: int, work: Path) -> float:
    return bench_views.build(n, work / f"view-{n}.html")["build_s"]


def section_views(work: Path, runs: int) -> None:
    for n in (500, 5000):
        reps = [isolated(view_build, n, work) for _ in range(runs)]
        row(
            "views",
            f"kg view HTML, {n:,} nodes (draw + write)",
            "s",
            stats([s for s, _ in reps]),
            mb=max(m for _, m in reps),
        )


def section_endpoint(store: Path, runs: int, clients: int = 8) -> None:
    got = [bench_endpoint.measure(store, clients, 5.0) for _ in range(runs)]
    ox = bench_endpoint.RAW
    for name in (bench_endpoint.KG, bench_endpoint.ENGINE, bench_endpoint.ENGINE_UNTIMED, bench_endpoint.RAW_TIMED):
        for key, unit, label, higher in (
            ("req_s", "req/s", "answers", True),
            ("p50_ms", "ms", "median latency", False),
            ("cpu_ms", "ms", "CPU per answer (server and workers)", False),
        ):
            row(
                "endpoint",
                f"{name}, cheap query, {clients} clients: {label}",
                unit,
                stats([g[name][key] for g in got]),
                stats([g[ox][key] for g in got]),
                ox,
                "≥ 0.8×" if key == "req_s" and name in (bench_endpoint.KG, bench_endpoint.ENGINE) else "",
                higher_is_better=higher,
            )


# --- main --------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    import pyoxigraph

    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        (
            int(ln.split()[1]) / 2**20
            for ln in Path("/proc/meminfo").read_text().splitlines()
            if ln.startswith("MemTotal")
        ),
        0,
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
        "pyoxigraph": pyoxigraph.__version__ if hasattr(pyoxigraph, "__version__") else "?",
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preset", choices=sorted(synth.PRESETS), default="small")
    ap.add_argument("--orgs", type=int, help="instead of the preset's size: this many companies (with --parks)")
    ap.add_argument("--parks", type=int, help="with --orgs: this many parks")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=3, help="runs of each load measurement")
    ap.add_argument("--query-runs", type=int, default=20, help="runs of each query and CLI measurement")
    ap.add_argument("--work", type=Path, help="working directory (default: a temporary one, removed at the end)")
    ap.add_argument(
        "--json", type=Path, help="write every figure here (default bench-<preset>.json in the working directory)"
    )
    ap.add_argument("--markdown", type=Path, help="also write the table as Markdown here")
    ap.add_argument("--skip", nargs="*", default=[], choices=["load", "queries", "cli", "pg", "views", "endpoint"])
    args = ap.parse_args()
    label = f"{args.orgs}-orgs" if args.orgs else args.preset
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    t_start = time.perf_counter()
    info = {"preset": label, "machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    print(json.dumps(info["machine"], ensure_ascii=False), flush=True)
    data = work / "data"
    if not (data / "synth.json").is_file():
        parks, orgs = (args.parks or 10, args.orgs) if args.orgs else synth.PRESETS[args.preset]
        t = time.perf_counter()
        # in a child: the generator's memory must not count in the peak of every later (forked) measurement
        isolated(
            synth.main,
            ["--parks", str(parks), "--orgs", str(orgs), "--seed", str(args.seed), "--format", "both", "-o", str(data)],
        )
        info["synth_seconds"] = time.perf_counter() - t
    meta = json.loads((data / "synth.json").read_text(encoding="utf-8"))
    info["data"] = meta["counts"]
    n_quads = meta["counts"]["quads"]
    print(HEADER, flush=True)
    store = work / "store"
    if "load" not in args.skip:
        section_load(data, work, args.runs, n_quads)
    if not (store / "current").exists():
        isolated(full_build, data / "facts", store)
    probes = meta["probes"]
    if "queries" not in args.skip:
        section_queries(store, probes, args.query_runs, label)
    if "cli" not in args.skip:
        section_cli(store, probes["community"], max(5, args.query_runs // 2))
    if "pg" not in args.skip:
        seed = work / "seed-store"
        if not (seed / "current").exists():
            isolated(full_build, ROOT / "seeds" / "facts", seed)
        section_pg(seed, store, label, work, args.runs, probes, max(5, args.query_runs // 2))
    if "views" not in args.skip:
        section_views(work, args.runs)
    if "endpoint" not in args.skip:
        section_endpoint(store, args.runs)
    info["seconds"] = time.perf_counter() - t_start
    out = args.json or work / f"bench-{label}.json"
    out.write_text(json.dumps({**info, "rows": ROWS}, ensure_ascii=False, indent=2), encoding="utf-8")
    if args.markdown:
        args.markdown.write_text(HEADER + "\n" + "\n".join(_line(r) for r in ROWS) + "\n", encoding="utf-8")
    print(f"\n{len(ROWS)} figures in {info['seconds']:.0f} s; JSON: {out}", flush=True)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
