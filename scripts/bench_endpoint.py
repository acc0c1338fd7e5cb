"""Endpoint throughput: `kg serve` (both engines) against `oxigraph serve-read-only` on the same store, N clients.

    python scripts/bench_endpoint.py STORE [--clients 8] [--seconds 5]

Each client is a process with one keep-alive HTTP/1.1 connection sending the same cheap
query (GET /sparql?query=…, Accept: SPARQL results JSON) as fast as it is answered; the
figures are answered requests per second over the run, the median and p95 latency, and the
CPU time the server (with its query workers) spent per answer.
The servers run on this machine: `kg serve` with its defaults (read-only, timeout, row
limit, 2 query workers); `kg serve --engine oxigraph --timeout 1` (Oxigraph's server behind
our options); raw Oxigraph with the union default graph and no timeout. Oxigraph 0.5.13 keeps
a thread per query asleep for the whole timeout (its timer): at thousands of answers a second a
30 s timeout would hold ~100,000 threads, more than this machine's 32,768 process ids — every
other program on it could no longer start a process —, so the engine row runs with 1 s.
Not a test.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHEAP = "SELECT ?u WHERE { ?u a <https://w3id.org/park-kg/ontology#University> }"
ACCEPT = "application/sparql-results+json"

__all__ = ["measure", "CHEAP", "KG", "ENGINE", "RAW", "ENGINE_UNTIMED", "RAW_TIMED"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _client(port: int, path: str, until: float, out) -> None:
    """Send requests on one connection until ``until``; put the latencies (s) on ``out``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    lat: list[float] = []
    while (t0 := time.perf_counter()) < until:
        conn.request("GET", path, headers={"Accept": ACCEPT})
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:  # reported by load(), which says what the server answered
            out.put(f"HTTP {r.status}: {body[:200].decode('utf-8', 'replace')}")
            return
        lat.append(time.perf_counter() - t0)
    conn.close()
    out.put(lat)


def load(port: int, clients: int, seconds: float, query: str = CHEAP) -> dict[str, float]:
    """``clients`` processes querying for ``seconds``: req/s, p50 and p95 latency in ms."""
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    ctx = get_context("fork")
    out = ctx.Queue()
    start = time.perf_counter() + 0.2
    until = start + seconds
    procs = [ctx.Process(target=_client, args=(port, path, until, out)) for _ in range(clients)]
    for p in procs:
        p.start()
    got = [out.get(timeout=seconds + 60) for _ in procs]
    for p in procs:
        p.join()
    if errors := [g for g in got if isinstance(g, str)]:
        raise RuntimeError(f"{len(errors)} of {clients} clients got an error, e.g. {errors[0]}")
    lat = sorted(x for g in got for x in g)
    return {"req_s": len(lat) / seconds, "p50_ms": statistics.median(lat) * 1000,
            "p95_ms": lat[int(0.95 * (len(lat) - 1))] * 1000, "requests": len(lat)}


def _wait(port: int, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                pass
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"}), headers={"Accept": ACCEPT})
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer within 60 s")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` and its children (kg serve's query workers), in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):  # a thread that ended meanwhile (Oxigraph's timers come and go)
            pids += [int(c) for c in (task / "children").read_text().split()]
    total = 0.0
    for p in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _run(argv: list[str], port: int, what: str, clients: int, seconds: float) -> dict[str, float]:
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        _wait(port, proc, what)
        load(port, clients, 1.0)  # warm up: workers started, caches filled
        cpu = _cpu_seconds(proc.pid)
        got = load(port, clients, seconds)
        # CPU per answer depends far less than req/s on what else the machine runs
        got["cpu_ms"] = (_cpu_seconds(proc.pid) - cpu) / got["requests"] * 1000
        return got
    finally:
        proc.terminate()
        proc.wait(30)


KG, ENGINE, RAW = "kg serve", "kg serve --engine oxigraph", "oxigraph serve-read-only"
ENGINE_UNTIMED, RAW_TIMED = "kg serve --engine oxigraph --timeout 0", "oxigraph serve-read-only --timeout-s 1"


def measure(store: Path, clients: int = 8, seconds: float = 5.0,
            kg_args: tuple[str, ...] = ()) -> dict[str, dict[str, float]]:
    """Figures of each server (:data:`KG`, :data:`ENGINE`, :data:`RAW`, then the engine without a timeout and
    raw Oxigraph with one, which tell what its timer costs) on ``store`` (a built kg store), one after the other."""
    from kg.stores.embedded import StoreDir

    gen = StoreDir(store).current
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    kg = [sys.executable, "-m", "kg.cli", "--store", str(store), "serve"]
    engine = [*kg, "--engine", "oxigraph", "--allow-service"]
    raw = [oxigraph, "serve-read-only", "--location", str(gen / "oxigraph"), "--union-default-graph"]
    servers = {
        KG: lambda port: [*kg, "--port", str(port), *kg_args],
        ENGINE: lambda port: [*engine, "--timeout", "1", "--port", str(port)],
        RAW: lambda port: [*raw, "--bind", f"127.0.0.1:{port}"],
        ENGINE_UNTIMED: lambda port: [*engine, "--timeout", "0", "--port", str(port)],
        RAW_TIMED: lambda port: [*raw, "--timeout-s", "1", "--bind", f"127.0.0.1:{port}"],
    }
    out = {}
    for name, argv in servers.items():
        port = _free_port()
        out[name] = _run(argv(port), port, name, clients, seconds)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store", type=Path)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--workers", type=int, default=None, help="kg serve --workers")
    args = ap.parse_args()
    kg_args = ("--workers", str(args.workers)) if args.workers else ()
    got = measure(args.store, args.clients, args.seconds, kg_args)
    for name, f in got.items():
        print(f"{name:40} {f['req_s']:8,.0f} req/s  p50 {f['p50_ms']:6.2f} ms  p95 {f['p95_ms']:6.2f} ms  "
              f"CPU {f['cpu_ms']:.3f} ms/request  ({f['requests']:,} requests)")
    for name in got:
        print(f"ratio {name} / {RAW}: {got[name]['req_s'] / got[RAW]['req_s']:.2f}x")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONPATH", str(ROOT))
    sys.exit(main())
