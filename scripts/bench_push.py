"""Push rate and named-query latency on real SPARQL servers (Oxigraph server, Virtuoso 7).

    python scripts/synth.py --preset province --format nq -o /tmp/prov      # ~1M quads, 332 documents
    python scripts/bench_push.py --synth /tmp/prov --json bench-push.json --markdown bench-push.md
    python scripts/bench_push.py --seed                                      # the seed graph only (seconds)

For each server, on a fresh database started by this script (the launchers of
tests/sparql_servers.py, free 127.0.0.1 ports, stopped by pid):

* ``kg push`` end to end (``push_store``: read from the embedded store, N-Triples chunks, HTTP),
  in quads per second; then pushing the same graph again (every graph replaced);
* the server's own bulk path on the same N-Quads file, into another fresh database:
  ``oxigraph load`` (offline) and Virtuoso's ``ld_dir`` + ``rdf_loader_run()`` + ``checkpoint``;
* the named queries of the benchmark probes with ``--backend sparql`` (median of ``--runs``),
  beside the embedded store, answers checked equal.

The embedded store is made from the N-Quads directly (bulk load, plus the ontology graph and
a name index read back from the graph), which is the dataset ``kg build`` writes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from sparql_servers import isql, oxigraph, virtuoso  # noqa: E402

from kg import queries  # noqa: E402
from kg.stores.embedded import EmbeddedStore, StoreDir  # noqa: E402
from kg.stores.remote import NAMES_SPARQL, RemoteSparql, name_entries  # noqa: E402
from kg.workflows.push import push_store  # noqa: E402


def store_from_nquads(nq: Path, out: Path) -> Path:
    """A store directory holding ``nq`` plus the ontology graph, with a name index read back from the graph."""
    import pyoxigraph as ox

    from kg.build import ONTOLOGY_DIR
    from kg.model import terms as vocab

    sd = StoreDir(out)
    gen = sd.new_generation("bench-push-nq")
    st = ox.Store(str(gen / "oxigraph"))
    st.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    st.bulk_load(
        path=str(ONTOLOGY_DIR / "park.ttl"), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(vocab.ONTOLOGY_IRI)
    )
    st.flush()
    from kg.model.terms import PREFIXES

    res = st.query(NAMES_SPARQL, prefixes=PREFIXES, use_default_graph_as_union=True)
    rows = [{v.value: (s[v.value].value if s[v.value] is not None else None) for v in res.variables} for s in res]
    (gen / "names.json").write_text(
        json.dumps({"version": 1, "entities": name_entries(rows)}, ensure_ascii=False), encoding="utf-8"
    )
    (gen / "manifest.json").write_text(
        json.dumps({"counts": {"triples": len(st)}, "source": str(nq)}), encoding="utf-8"
    )
    del st
    sd.swap(gen)
    return out


def probes_of(synth: Path | None) -> list[tuple[str, object, tuple, dict]]:
    if synth is None:
        p = {
            "community": "红领宁商",
            "company": "金诃藏药",
            "chain": "启迪众创空间",
            "path": ["青海大学", "金诃藏药"],
            "park": "生物园区",
        }
    else:
        p = json.loads((synth / "synth.json").read_text(encoding="utf-8"))["probes"]
    return [
        ("members (community)", queries.members, (p["community"],), {}),
        ("memberships (company)", queries.memberships, (p["company"],), {}),
        ("related --depth 1 (company)", queries.related, (p["company"],), {}),
        ("path", queries.path, tuple(p["path"]), {}),
        ("chain", queries.chain, (p["chain"],), {}),
        ("orgs --in (park)", queries.orgs, (), {"in_": p["park"]}),
        ("show (company)", queries.show, (p["company"],), {}),
    ]


def median_ms(fn, runs: int) -> tuple[float, object, float]:
    """(median ms of ``runs`` calls after the first, the first call's answer, the first call's ms)."""
    t = time.perf_counter()
    out = fn()  # first call: connections, caches (a CLI invocation pays it every time)
    first = (time.perf_counter() - t) * 1000
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), out, first


def bulk_oxigraph(nq: Path, tmp: Path) -> float:
    exe = str(Path(sys.executable).parent / "oxigraph")
    t = time.perf_counter()
    subprocess.run([exe, "load", "--location", str(tmp / "bulk"), "--file", str(nq)], check=True, capture_output=True)
    return time.perf_counter() - t


def bulk_virtuoso(nq: Path, tmp: Path, buffers: int) -> float:
    with virtuoso(tmp, max_rows=1_000_000, buffers=buffers, dirs=(str(nq.parent),)) as v:
        t = time.perf_counter()
        isql(
            v,
            f"ld_dir('{nq.parent}', '{nq.name}', 'http://example.org/unused'); rdf_loader_run(); checkpoint;",
            timeout=3600,
        )
        return time.perf_counter() - t


def run(args: argparse.Namespace, tmp: Path) -> dict:
    if args.seed:
        from kg.build import build

        store = tmp / "store"
        build(ROOT / "seeds" / "facts", store)
        nq = tmp / "seed.nq"
        import pyoxigraph as ox

        ox.serialize(EmbeddedStore(store).data_quads(), output=str(nq), format=ox.RdfFormat.N_QUADS)
        label = "seed"
    else:
        nq = args.synth / "dataset.nq"
        store = store_from_nquads(nq, tmp / "store")
        label = args.synth.name
    local = EmbeddedStore(store)
    total = len(local.ox)
    result: dict = {"graph": label, "quads": total, "servers": {}}
    print(f"{label}: {total:,} quads in the store", file=sys.stderr)
    probes = probes_of(None if args.seed else args.synth)
    embedded = {
        name: median_ms(lambda f=f, a=a, k=k: f(local, *a, **k).to_dict(), args.runs) for name, f, a, k in probes
    }
    result["embedded_ms"] = {name: ms for name, (ms, _, _) in embedded.items()}
    result["embedded_first_ms"] = {name: first for name, (_, _, first) in embedded.items()}
    launchers = {
        "oxigraph": lambda d: oxigraph(d),
        "virtuoso": lambda d: virtuoso(d, max_rows=1_000_000, buffers=args.virtuoso_buffers),
    }
    for name in args.servers:
        d = tmp / name
        d.mkdir()
        with launchers[name](d) as server:
            row: dict = {}
            for attempt in ("first push", "second push")[: 1 if args.skip_bulk else 2]:
                r = push_store(store, server.store, user=server.user, password=server.password, chunk=args.chunk)
                row[attempt] = {
                    "seconds": round(r.seconds, 2),
                    "quads_per_s": round(r.triples / r.seconds),
                    "requests": r.requests,
                    "MB": round(r.bytes / 1e6, 1),
                }
                print(
                    f"{name} {attempt}: {r.triples:,} quads in {r.seconds:.1f} s = {r.triples / r.seconds:,.0f}/s",
                    file=sys.stderr,
                )
            row["queries_ms"], row["queries_first_ms"] = {}, {}
            for qname, f, a, k in probes:
                remote = RemoteSparql(
                    server.query, names=local.names, timeout=600
                )  # a new one per query, as each CLI call
                ms, out, first = median_ms(lambda f=f, a=a, k=k: f(remote, *a, **k).to_dict(), args.runs)
                assert out == embedded[qname][1], f"{name}: {qname} differs from the embedded store"
                row["queries_ms"][qname], row["queries_first_ms"][qname] = round(ms, 1), round(first, 1)
                remote.close()
        result["servers"][name] = row
        if args.skip_bulk:
            continue
        b = tmp / f"{name}-bulk"
        b.mkdir()
        secs = bulk_oxigraph(nq, b) if name == "oxigraph" else bulk_virtuoso(nq, b, args.virtuoso_buffers)
        quads = sum(1 for _ in nq.open("rb"))
        row["bulk"] = {"seconds": round(secs, 2), "quads_per_s": round(quads / secs), "quads": quads}
        print(f"{name} bulk: {quads:,} quads in {secs:.1f} s = {quads / secs:,.0f}/s", file=sys.stderr)
    return result


def markdown(res: dict) -> str:
    lines = [
        f"| server | what ({res['graph']}, {res['quads']:,} quads) | value | unit | beside |",
        "|---|---|---|---|---|",
    ]
    for name, row in res["servers"].items():
        bulk = f"{row['bulk']['quads_per_s']:,} (bulk load)" if "bulk" in row else "–"
        for k in ("first push", "second push"):
            if k in row:
                p = row[k]
                lines.append(
                    f"| {name} | kg push, {k} ({p['requests']} requests, {p['MB']} MB) | {p['quads_per_s']:,} | "
                    f"quads/s | {bulk} |"
                )
        if "bulk" in row:
            lines.append(f"| {name} | bulk load of the same N-Quads | {row['bulk']['quads_per_s']:,} | quads/s | – |")
        for q, ms in row["queries_ms"].items():
            lines.append(
                f"| {name} | {q}; first call {row['queries_first_ms'][q]:,} ms | {ms:,} | ms | "
                f"{res['embedded_ms'][q]:.1f} (embedded store; first call {res['embedded_first_ms'][q]:,.0f} ms) |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--synth", type=Path, help="A directory written by synth.py --format nq (dataset.nq, synth.json).")
    src.add_argument("--seed", action="store_true", help="The seed graph.")
    ap.add_argument("--servers", nargs="+", default=["oxigraph", "virtuoso"], choices=["oxigraph", "virtuoso"])
    ap.add_argument("--chunk", type=int, default=50_000)
    ap.add_argument(
        "--skip-bulk", action="store_true", help="One push per server, no bulk loads (the query figures only)."
    )
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument(
        "--virtuoso-buffers",
        type=int,
        default=170_000,
        help="NumberOfBuffers (8 KB pages); 170,000 = Virtuoso's advice for 2 GB.",
    )
    ap.add_argument("--json", type=Path)
    ap.add_argument("--markdown", type=Path)
    args = ap.parse_args()
    import shutil

    tmp = Path(tempfile.mkdtemp(prefix="bench-push-"))
    try:
        res = run(args, tmp)
    finally:  # the store and the servers' databases: gigabytes at 1M quads
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
    md = markdown(res)
    if args.markdown:
        args.markdown.write_text(md, encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()
