"""Time `kg analyze` and `kg path --all` on a large synthetic graph (the README's figures).

    python scripts/bench_analytics.py                      # synth province preset (~1M triples), built once
    python scripts/bench_analytics.py --store DIR --probes DIR/synth.json   # a store you built

The graph comes from scripts/synth.py (deterministic; built with `kg build --no-shacl`
into --work, reused when it is already there). Each analysis runs as the library call
behind its command, on the embedded store, one after the other; wall-clock seconds and the
peak memory of the process are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _prepare(work: Path, preset: str) -> tuple[Path, dict]:
    synth = work / "synth"
    store = work / "store"
    if not (synth / "synth.json").is_file():
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "synth.py"),
                "--preset",
                preset,
                "--format",
                "facts",
                "-o",
                str(synth),
            ],
            check=True,
        )
    if not (store / "current").exists():
        from kg.build import build

        t = time.perf_counter()
        report = build(synth / "facts", store, shacl=False)
        print(
            f"built {store}: {report.counts['triples']:,} triples in {time.perf_counter() - t:.1f} s", file=sys.stderr
        )
    return store, json.loads((synth / "synth.json").read_text(encoding="utf-8"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="province", help="synth.py preset (default province, ~1M triples)")
    ap.add_argument(
        "--work", type=Path, default=Path("/tmp/kg-bench-analytics"), help="where the synthetic graph and store go"
    )
    ap.add_argument("--store", type=Path, help="an existing store instead (give --probes too)")
    ap.add_argument("--probes", type=Path, help="synth.json of that store (names to ask about)")
    ap.add_argument("--sample", type=int, default=None, help="betweenness sample size (default: the library's)")
    args = ap.parse_args()

    from kg import analytics, queries
    from kg.analytics import network
    from kg.stores.embedded import EmbeddedStore

    if args.store:
        store_dir, info = args.store, json.loads(args.probes.read_text(encoding="utf-8"))
    else:
        store_dir, info = _prepare(args.work, args.preset)
    probes = info["probes"]
    a, b = probes["path"]
    store = EmbeddedStore(store_dir)
    triples = store.manifest().get("counts", {}).get("triples")

    runs = [
        ("reading the edges and names (each command's first step)", lambda: network.load(store)),
        ("`kg analyze centrality`", lambda: analytics.centrality(store, "degree")),
        (
            "`kg analyze centrality --measure betweenness`",
            lambda: analytics.centrality(store, "betweenness", sample=args.sample),
        ),
        ("`kg analyze centrality --measure pagerank`", lambda: analytics.centrality(store, "pagerank")),
        ("`kg analyze communities`", lambda: analytics.communities(store)),
        ("`kg analyze bridges COMMUNITY PARK`", lambda: analytics.bridges(store, probes["community"], probes["park"])),
        ("`kg analyze compare`", lambda: analytics.compare(store, sample=args.sample)),
        (
            "`kg analyze compare --at 2020 --org GOV`",
            lambda: analytics.compare(store, at="2020", org=probes["gov"], sample=args.sample),
        ),
        ("`kg path COMPANY COMPANY --all`", lambda: queries.path(store, a, b, all_paths=True)),
    ]
    print(
        f"COMMUNITY={probes['community']} PARK={probes['park']} GOV={probes['gov']} COMPANY={a}, {b}", file=sys.stderr
    )
    net = network.load(store)
    print(
        f"graph: {triples or '?':,} triples; projection {net.simple.number_of_nodes():,} entities, "
        f"{net.graph.number_of_edges():,} relations, {len(net.orgs):,} organizations",
        file=sys.stderr,
    )
    print("| analysis | seconds | result |\n|---|---:|---|")
    for label, fn in runs:
        t = time.perf_counter()
        report = fn()
        secs = time.perf_counter() - t
        what = getattr(report, "tables", None)
        result = (
            ", ".join(f"{tb.name} {len(tb.rows)}" for tb in what)
            if what
            else f"{report.simple.number_of_nodes():,} entities"
        )
        print(f"| {label} | {secs:.1f} | {result} |", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory {peak:,.0f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
