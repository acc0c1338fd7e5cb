"""What the robustness tests share: a store bad inputs must not change, a port that counts
connections (proof that nothing went to the network), and `kg` run as a real process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import ROOT

HONGLING_NAMED = {"生物园区管委会", "西宁市生物园区商会", "青海大美中药科技有限公司", "青海塞奇食品有限公司"}
CRASH_MARKERS = ("Traceback (most recent call last)", "internal error", "this is a bug in park-kg")


def snapshot(store: Path) -> tuple:
    """What must not change: the generation served, its input hash, its size, and a real answer."""
    from kg.queries import members
    from kg.stores.embedded import EmbeddedStore, StoreDir

    s = EmbeddedStore(store)
    named = frozenset(r["member_name"] for r in members(s, "红领宁商").tables[0].rows)
    assert named == HONGLING_NAMED
    return StoreDir(store).current.name, s.manifest()["input_hash"], s.manifest()["counts"]["triples"], named


@pytest.fixture(scope="session")
def guarded_store(seed_store) -> Path:
    """The seed store, which every bad input is thrown at (``unchanged`` checks it kept its graph)."""
    return seed_store


@pytest.fixture
def unchanged(guarded_store):
    """The guarded store; after the test it must hold exactly what it held before."""
    before = snapshot(guarded_store)
    yield guarded_store
    assert snapshot(guarded_store) == before, "a bad input changed the store"


def no_crash(text: str) -> None:
    assert not any(m in text for m in CRASH_MARKERS), text[-2000:]


def one_line_error(output: str) -> str:
    """The single ``Error: …`` line of a failed command (no traceback, nothing else)."""
    no_crash(output)
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), output[-2000:]
    return lines[0]


def run_kg(
    *args: str, store: Path | None = None, env: dict | None = None, timeout: float = 120, **kw
) -> subprocess.CompletedProcess:
    """`python -m kg.cli ARGS` in a real process; its stderr must hold no traceback."""
    cmd = [sys.executable, "-m", "kg.cli", *(["--store", str(store)] if store else []), *args]
    p = subprocess.run(cmd, capture_output=True, cwd=ROOT, env={**os.environ, **(env or {})}, timeout=timeout, **kw)
    no_crash(p.stderr.decode("utf-8", "replace") if isinstance(p.stderr, bytes) else p.stderr)
    return p


def file_arg(name: str, content: bytes):
    """Arguments ``-f FILE`` for a query file holding ``content``, written into the test's tmp_path."""

    def args(tmp: Path, _url: str) -> tuple[str, ...]:
        (tmp / name).write_bytes(content)
        return ("-f", str(tmp / name))

    return args


class Listener:
    """A TCP port on 127.0.0.1 that records every connection made to it, and answers none."""

    def __init__(self, port: int = 0) -> None:
        self.sock = socket.socket()
        try:
            self.sock.bind(("127.0.0.1", port))
        except OSError:
            self.sock.close()
            raise
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/data.ttl"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    """A local 'remote' endpoint; a test asserts ``listener.hits == 0`` when nothing may be fetched."""
    lis = Listener()
    yield lis
    lis.close()


@pytest.fixture(scope="session")
def falkordb(tmp_path_factory, guarded_store):
    """A local FalkorDB on free ports holding the seed graph (started with kg.graphdb, stopped after)."""
    from kg.graphdb import GraphDb, free_port
    from kg.stores.bolt import BoltConfig, load
    from kg.stores.embedded import EmbeddedStore

    db = GraphDb(tmp_path_factory.mktemp("falkordb"))
    st = db.start(port=free_port(), bolt_port=free_port())
    try:
        load(
            EmbeddedStore(guarded_store).data_quads(),
            BoltConfig(uri=st.bolt_uri, engine="falkordb", transport="native", native_port=st.port),
            wipe=True,
        )
        yield st
    finally:
        db.stop()


def graph_counts(st) -> tuple[int, int]:
    """(nodes, relationships) in the server's graph, read through its native port."""
    from falkordb import FalkorDB

    g = FalkorDB(host="127.0.0.1", port=st.port).select_graph("falkordb")
    nodes = g.ro_query("MATCH (n) RETURN count(n)").result_set[0][0]
    rels = g.ro_query("MATCH ()-[r]->() RETURN count(r)").result_set[0][0]
    g.client.close()
    return nodes, rels
