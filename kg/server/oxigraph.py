"""``kg serve --engine oxigraph``: Oxigraph's own HTTP server (``oxigraph serve-read-only``) on the current graph.

Oxigraph answers a cheap query in 0.05–0.2 ms of CPU where our Python endpoint spends
1.3–3.4 ms (docs/benchmarks.md). This module runs the ``oxigraph`` executable of the
``oxigraph`` wheel (extra ``park-kg[oxigraph]``, the same release as pyoxigraph — checked — so that it
reads the store pyoxigraph wrote) and keeps what it can of our endpoint's guarantees:

* read-only (``serve-read-only``: updates and writes to ``/store`` get 403), loopback by
  default, the query timeout (``--timeout-s``, whole seconds), the union of the named graphs
  as the default graph, SPARQL at ``/sparql`` as ours;
* it serves a snapshot of the current generation (a RocksDB checkpoint: hard links, taken in
  milliseconds) under ``STORE/serving/``, which no build prunes; when a build swaps in a new
  generation, the server is restarted on a snapshot of it on the same port within
  :data:`POLL` seconds (connections are refused for the ~0.1 s of the restart).

What it cannot keep is refused or said: no row limit, no memory limit per query, no
``--writable``; SERVICE calls are always allowed (so ``--allow-service`` must be given); no
CORS headers, no access log, no ``/health`` or query page of ours. Oxigraph 0.5.13 also keeps
one thread per query alive for the whole timeout (its timer), so a sustained R queries/s
holds R × timeout threads, counted against the machine's process limit.
"""

from __future__ import annotations

import contextlib
import ctypes  # noqa: F401  (loaded before a fork: die_with_parent runs in the child)
import logging
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError, StoreMissing
from kg.processes import alive
from kg.sparql.limits import die_with_parent
from kg.stores.embedded import StoreDir

__all__ = ["oxigraph_binary", "serve_oxigraph", "EXTRA", "POLL", "NOT_KEPT"]

log = logging.getLogger("kg.server")

EXTRA = "oxigraph"  # pip install 'park-kg[oxigraph]'
POLL = 1.0  # seconds between two looks at the store's current generation
NOT_KEPT = "no row limit, no memory limit per query, SERVICE calls allowed, no CORS, no access log"


def oxigraph_binary() -> str:
    """The ``oxigraph`` executable beside this Python (or on PATH), of pyoxigraph's version; else one line why."""
    import pyoxigraph

    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if os.access(here, os.X_OK) else shutil.which("oxigraph")
    install = f"pip install 'park-kg[{EXTRA}]' (the oxigraph {pyoxigraph.__version__} wheel)"
    if found is None:
        raise KgError(f"kg serve --engine oxigraph needs Oxigraph's server, which is not installed: {install}")
    try:
        out = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=30).stdout.split()
    except (OSError, subprocess.SubprocessError) as e:
        raise KgError(f"{found} does not run ({e}); reinstall it: {install}") from None
    if out[-1:] != [pyoxigraph.__version__]:
        version = out[-1] if out else "an unknown version"
        raise KgError(f"{found} is Oxigraph {version}, the store is written by pyoxigraph {pyoxigraph.__version__}: "
                      f"{install}")
    return found


@dataclass
class _Running:
    """One Oxigraph server process and the snapshot it serves."""

    proc: subprocess.Popen
    gen: Path
    snapshot: Path


def _snapshot(sdir: StoreDir) -> tuple[Path, Path]:
    """The current generation and a fresh checkpoint of its store under ``STORE/serving/``."""
    import pyoxigraph as ox

    from kg.errors import storage_errors

    gen = sdir.current
    if gen is None:
        raise StoreMissing(f"no graph built at {sdir.path}; run `kg build` first")
    snap = sdir.path / "serving" / f"{os.getpid()}-{time.time_ns()}"
    snap.parent.mkdir(exist_ok=True)
    with storage_errors(sdir.path, "oxigraph"):
        ox.Store.read_only(str(gen / "oxigraph")).backup(str(snap))
    return gen, snap


def _clean(sdir: StoreDir) -> None:
    """Remove snapshots left by servers that are gone (killed before they could)."""
    for d in (sdir.path / "serving").glob("*-*"):
        pid = d.name.split("-", 1)[0]
        if pid.isdigit() and not alive(int(pid)):
            shutil.rmtree(d, ignore_errors=True)


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _start(binary: str, sdir: StoreDir, host: str, port: int, timeout: float) -> _Running:
    """Oxigraph's server on a snapshot of the current generation, answering; one line when it cannot start."""
    gen, snap = _snapshot(sdir)
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    argv = [binary, "serve-read-only", "--location", str(snap), "--bind", bind, "--union-default-graph"]
    if timeout:
        argv += ["--timeout-s", str(math.ceil(timeout))]
    # killed with us even by SIGKILL (PR_SET_PDEATHSIG), so it never keeps the port; a snapshot left then is
    # removed by the next server (_clean)
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8", errors="replace", preexec_fn=die_with_parent,
                            env={**os.environ, "RUST_BACKTRACE": "0", "RUST_LIB_BACKTRACE": "0"})
    run = _Running(proc, gen, snap)
    try:
        _wait_listening(run, host, port)
    except BaseException:
        _stop(run)
        raise
    threading.Thread(target=_forward, args=(proc,), daemon=True).start()
    return run


def _wait_listening(run: _Running, host: str, port: int) -> None:
    """Until Oxigraph says it listens (it binds, then prints so); one line when it exits instead."""
    assert run.proc.stderr is not None
    said = []
    for line in run.proc.stderr:
        if line.startswith("Listening for requests"):
            return
        said.append(line.strip())
    run.proc.wait()
    errors = [s.removeprefix("Error: ") for s in said if s.startswith("Error: ")]  # before any stack backtrace
    why = errors[0] if errors else next((s for s in said if s), f"exit status {run.proc.returncode}")
    if "in use" in why.lower():
        why = "the port is already in use by another program; choose another with --port (0: any free port)"
    raise KgError(f"cannot serve on {host}:{port} with Oxigraph: {why}")


def _forward(proc: subprocess.Popen) -> None:
    """Oxigraph's own messages on our log (its start line is ours)."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.strip() and not line.startswith("Listening for requests"):
            log.warning("oxigraph: %s", line.rstrip())


def _stop(run: _Running) -> None:
    if run.proc.poll() is None:
        run.proc.terminate()
        try:
            run.proc.wait(10)
        except subprocess.TimeoutExpired:
            run.proc.kill()
            run.proc.wait()
    shutil.rmtree(run.snapshot, ignore_errors=True)


def serve_oxigraph(store: Path | str, *, host: str = "127.0.0.1", port: int = 7878, timeout: float = 30.0) -> None:
    """Run Oxigraph's read-only server on the current graph until interrupted (Ctrl-C / SIGTERM), following
    rebuilds; :class:`~kg.errors.KgError` (one line) when it cannot start or stops by itself."""
    binary = oxigraph_binary()
    sdir = StoreDir(store)
    _clean(sdir)
    port = port or _free_port(host)
    run = _start(binary, sdir, host, port, timeout)
    shown = f"[{host}]" if ":" in host else host
    log.info("SPARQL endpoint: http://%s:%d/sparql", shown, port)
    limit = f"timeout {math.ceil(timeout)} s" if timeout else "no timeout"
    log.info("serving %s (read-only) with Oxigraph's server: %s; %s", run.gen.name, limit, NOT_KEPT)
    if host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("listening on %s: anyone who can reach this machine can query the graph, and make it call "
                    "other servers with SERVICE (the default is 127.0.0.1)", host)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        while True:
            with contextlib.suppress(subprocess.TimeoutExpired):
                code = run.proc.wait(POLL)
                raise KgError(f"Oxigraph's server stopped (exit status {code})")
            if (now := sdir.current_or_none()) is not None and now != run.gen:
                _stop(run)
                run = _start(binary, sdir, host, port, timeout)
                log.info("serving %s (rebuilt)", run.gen.name)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        _stop(run)


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt
