"""Real SPARQL servers for the tests, started on free 127.0.0.1 ports and stopped by pid.

* Oxigraph server from the `oxigraph` wheel (dev extra): ``oxigraph serve --union-default-graph``.
* Virtuoso 7 from Debian (`virtuoso-opensource-7`, installed by scripts/system-deps.sh):
  ``virtuoso-t -f`` with its own small virtuoso.ini in a temporary directory. Pushes go to
  ``/sparql-graph-crud-auth`` with HTTP Digest as ``dba`` (the account a new database has).

A missing server program is a failure, never a skip: CI installs both.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Server", "free_port", "oxigraph", "virtuoso", "isql"]


@dataclass(frozen=True)
class Server:
    name: str
    store: str  # Graph Store Protocol URL (kg push --sparql-endpoint)
    query: str  # SPARQL query URL (--backend sparql --sparql-endpoint, kg push --prune)
    user: str | None = None
    password: str | None = None
    pid: int = 0
    sql_port: int = 0  # Virtuoso's SQL port, for isql

    def push_args(self) -> list[str]:
        return ["push", "--sparql-endpoint", self.store, *(["--user", self.user] if self.user else [])]

    def env(self) -> dict[str, str]:
        return {"KG_SPARQL_PASSWORD": self.password or "", "KG_SPARQL_USER": ""}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, log: Path | None, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if proc.poll() is not None:
                raise AssertionError(
                    f"the server exited ({proc.returncode}): "
                    + (log.read_text(errors="replace")[-2000:] if log else "")
                ) from None
            if time.monotonic() > deadline:
                raise AssertionError(f"no answer from {url} after {seconds:.0f} s") from None
            time.sleep(0.1)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _oxigraph_exe() -> str:
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    assert Path(exe).exists(), "the oxigraph server comes with the dev extra: pip install -e '.[dev]'"
    return exe


@contextlib.contextmanager
def oxigraph(tmp: Path) -> Iterator[Server]:
    """A running `oxigraph serve` (union default graph, like the embedded store's queries)."""
    port = free_port()
    log = tmp / "oxigraph.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                _oxigraph_exe(),
                "serve",
                "--location",
                str(tmp / "data"),
                "--bind",
                f"127.0.0.1:{port}",
                "--union-default-graph",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/query?query=ASK%7B%7D", proc, log, 30)
        yield Server("oxigraph", base + "/store", base + "/query", pid=proc.pid)
    finally:
        _stop(proc)


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{port}
DisableUnixSocket = 1
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {d}{dirs}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}/vsp
ServerThreads = 4
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
"""


def virtuoso_exe() -> str:
    exe = shutil.which("virtuoso-t")
    assert exe, "virtuoso-t is missing: scripts/system-deps.sh installs the Debian package virtuoso-opensource-7"
    return exe


@contextlib.contextmanager
def virtuoso(tmp: Path, max_rows: int = 5000, buffers: int = 10000, dirs: tuple[str, ...] = ()) -> Iterator[Server]:
    """A running Virtuoso 7 with a new database (user dba, password dba) in ``tmp``; answers capped at ``max_rows``
    rows.

    ``buffers``: 8 KB pages of cache (Virtuoso's guide: 170,000 for 2 GB); ``dirs``: more DirsAllowed (bulk loads)."""
    port, http_port = free_port(), free_port()
    (tmp / "vsp").mkdir(parents=True, exist_ok=True)
    ini = tmp / "virtuoso.ini"
    ini.write_text(
        _VIRTUOSO_INI.format(
            d=tmp,
            port=port,
            http_port=http_port,
            max_rows=max_rows,
            buffers=buffers,
            dirty=buffers * 3 // 4,
            dirs="".join(f", {x}" for x in dirs),
        ),
        encoding="utf-8",
    )
    log = tmp / "virtuoso.out"
    with log.open("wb") as out:
        proc = subprocess.Popen([virtuoso_exe(), "-f", "-c", str(ini)], cwd=tmp, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    try:
        _wait(base + "/sparql?query=ASK%7B%7D", proc, log, 120)
        yield Server(
            "virtuoso", base + "/sparql-graph-crud-auth", base + "/sparql", "dba", "dba", pid=proc.pid, sql_port=port
        )
    finally:
        _stop(proc)


def isql(server: Server, sql: str, timeout: float = 60) -> str:
    """Run SQL statements on a Virtuoso from the tests as dba (Debian names the client isql-vt)."""
    exe = shutil.which("isql-vt") or shutil.which("isql")
    assert exe, "isql-vt is missing: it comes with virtuoso-opensource-7"
    r = subprocess.run(
        [exe, f"127.0.0.1:{server.sql_port}", "dba", "dba", f"exec={sql}"],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert r.returncode == 0 and "Error" not in r.stdout + r.stderr, r.stdout + r.stderr
    return r.stdout
