"""The local Bolt server: the official neo4j driver in front of FalkorDB's Redis protocol.

``kg graphdb start`` runs this module as a child process bound to 127.0.0.1. It speaks Bolt 5.1–5.4
(HELLO, LOGON/LOGOFF, RUN, PULL, DISCARD, BEGIN, COMMIT, ROLLBACK, RESET, GOODBYE, ROUTE, TELEMETRY)
and answers each RUN with FalkorDB's native client: ``GRAPH.RO_QUERY`` in read access mode,
``GRAPH.QUERY`` in write mode and ``GRAPH.EXPLAIN`` for a query that starts with EXPLAIN (so EXPLAIN
never runs it). Parameters travel as parameters, nodes and relationships as Bolt structures.
Not done: atomic transactions (ROLLBACK cannot undo a statement), more than one database (``neo4j``
is FalkorDB's graph ``falkordb``), users (only the password is checked). Exits when FalkorDB stops.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hmac
import logging
import os
import struct
import time
from typing import Any

from kg.stores.bolt_cypher import GRAPH, BoltFailure, Result, check_params, classify, execute
from kg.stores.packstream import PackStreamError, Structure, chunk, pack, unpack

__all__ = ["BoltServer", "AGENT", "GRAPH", "main"]

AGENT = "park-kg-bolt/1.0 (FalkorDB)"
DATABASES = (None, "", "neo4j", "falkordb")
MAGIC = b"\x60\x60\xb0\x17"
MIN_MINOR, MAX_MINOR = 1, 4  # Bolt 5.1 (LOGON) .. 5.4 (TELEMETRY)

SUCCESS, RECORD, IGNORED, FAILURE = 0x70, 0x71, 0x7E, 0x7F
HELLO, GOODBYE, RESET, RUN, BEGIN, COMMIT, ROLLBACK = 0x01, 0x02, 0x0F, 0x10, 0x11, 0x12, 0x13
DISCARD, PULL, TELEMETRY, ROUTE, LOGON, LOGOFF = 0x2F, 0x3F, 0x54, 0x66, 0x6A, 0x6B

UNAUTHORIZED = "Neo.ClientError.Security.Unauthorized"

log = logging.getLogger("kg.bolt_server")


def choose_version(offers: bytes) -> tuple[int, int] | None:
    """The Bolt 5 version to speak, from the client's four 4-byte offers (or None).

    >>> choose_version(bytes.fromhex("000001ff" "00080805" "00020404" "00000003"))  # neo4j 6.4: 5.8 down to 5.0, …
    (5, 4)
    >>> choose_version(bytes.fromhex("00000404" "00000003" "00000000" "00000000"))  # Bolt 4 and 3 only: none
    """
    for i in range(0, 16, 4):
        _, rng, minor, major = offers[i : i + 4]
        if major == 5 and minor - rng <= MAX_MINOR and minor >= MIN_MINOR:
            return 5, min(minor, MAX_MINOR)
    return None


class BoltServer:
    """Serve Bolt on ``host:port`` for the FalkorDB at 127.0.0.1:``redis_port``."""

    def __init__(self, redis_port: int, password: str | None = None):
        self.redis_port = redis_port
        self.password = password or None
        self._next_id = 0
        self._db: Any = None  # one FalkorDB client (a thread-safe connection pool) for every Bolt connection

    def _graph(self) -> Any:
        from falkordb import FalkorDB

        if self._db is None:
            self._db = FalkorDB(host="127.0.0.1", port=self.redis_port, password=self.password)
        return self._db.select_graph(GRAPH)

    def execute(self, graph, query: str, params: dict[str, Any], read: bool) -> Result:
        """Run one statement through FalkorDB's client (blocking; called in a worker thread)."""
        return execute(graph, query, params, read)


    async def serve(self, host: str, port: int) -> asyncio.AbstractServer:
        """Start listening; the returned server runs until closed."""
        return await asyncio.start_server(self._client, host, port, reuse_address=True)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._next_id += 1
        conn = _Connection(self, reader, writer, f"bolt-{self._next_id}")
        try:
            await conn.run()
        except (asyncio.IncompleteReadError, ConnectionError, PackStreamError, BoltFailure) as e:
            log.debug("%s closed: %s", conn.id, e)
        except Exception:  # noqa: BLE001 - one client's fault must not stop the server
            log.exception("%s failed", conn.id)
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


class _Connection:
    """One client connection: the Bolt state machine."""

    def __init__(self, server: BoltServer, reader, writer, conn_id: str):
        self.server, self.reader, self.writer, self.id = server, reader, writer, conn_id
        self.authenticated = False
        self.failed = False
        self.tx: dict[str, Any] | None = None  # BEGIN's extra while a transaction is open
        self.results: dict[int, Result] = {}
        self.qid = 0
        self.graph: Any = None

    async def send(self, tag: int, *fields: Any) -> None:
        self.writer.write(chunk(pack(Structure(tag, list(fields)))))
        await self.writer.drain()

    async def read_message(self) -> Structure:
        data = bytearray()
        while True:
            (size,) = struct.unpack(">H", await self.reader.readexactly(2))
            if size == 0:
                if data:
                    break
                continue  # a NOOP chunk (keep-alive)
            data += await self.reader.readexactly(size)
        msg = unpack(bytes(data))
        if not isinstance(msg, Structure):
            raise PackStreamError("a Bolt message must be a structure")
        return msg

    async def run(self) -> None:
        if await self.reader.readexactly(4) != MAGIC:
            return
        version = choose_version(await self.reader.readexactly(16))
        if version is None:
            self.writer.write(b"\x00\x00\x00\x00")
            await self.writer.drain()
            return
        self.writer.write(bytes((0, 0, version[1], version[0])))
        await self.writer.drain()
        while True:
            msg = await self.read_message()
            if msg.tag == GOODBYE:
                return
            if not await self.handle(msg):
                return

    async def fail(self, f: BoltFailure) -> None:
        self.failed = True
        await self.send(FAILURE, {"code": f.code, "message": f.message})

    async def handle(self, msg: Structure) -> bool:
        """Answer one message; False closes the connection."""
        tag, fields = msg.tag, msg.fields
        if tag == RESET:
            self.failed, self.tx, self.results = False, None, {}
            await self.send(SUCCESS, {})
            return True
        if self.failed:
            await self.send(IGNORED)
            return True
        if tag == HELLO:
            await self.send(SUCCESS, {"server": AGENT, "connection_id": self.id, "hints": {}})
            return True
        if tag == LOGON:
            return await self.logon(fields[0] if fields else {})
        if tag == LOGOFF:
            self.authenticated = False
            await self.send(SUCCESS, {})
            return True
        if not self.authenticated:
            await self.fail(BoltFailure(UNAUTHORIZED, "log on first (HELLO, then LOGON)"))
            return False
        try:
            await self.dispatch(tag, fields)
        except BoltFailure as f:
            await self.fail(f)
        return True

    async def logon(self, auth: dict[str, Any]) -> bool:
        want = self.server.password
        if want is not None:
            given = auth.get("credentials") if auth.get("scheme") == "basic" else None
            if not isinstance(given, str) or not hmac.compare_digest(given.encode(), want.encode()):
                await self.fail(BoltFailure(UNAUTHORIZED, "The client is unauthorized due to authentication failure."))
                return False
        self.authenticated = True
        await self.send(SUCCESS, {})
        return True

    async def dispatch(self, tag: int, fields: list[Any]) -> None:
        if tag == RUN:
            await self.run_query(fields[0], fields[1] if len(fields) > 1 else {}, fields[2] if len(fields) > 2 else {})
        elif tag in (PULL, DISCARD):
            await self.stream(fields[0] if fields else {}, discard=tag == DISCARD)
        elif tag == BEGIN:
            extra = fields[0] if fields else {}
            self._check_db(extra.get("db"))
            self.tx, self.results = extra, {}
            await self.send(SUCCESS, {})
        elif tag in (COMMIT, ROLLBACK):
            self.tx, self.results = None, {}
            await self.send(SUCCESS, {"bookmark": f"kg:{time.time_ns()}"} if tag == COMMIT else {})
        elif tag == TELEMETRY:
            await self.send(SUCCESS, {})
        elif tag == ROUTE:
            ctx = fields[2] if len(fields) > 2 else None
            self._check_db(ctx.get("db") if isinstance(ctx, dict) else ctx)
            host, port = self.writer.get_extra_info("sockname")[:2]
            servers = [{"addresses": [f"{host}:{port}"], "role": role} for role in ("WRITE", "READ", "ROUTE")]
            await self.send(SUCCESS, {"rt": {"ttl": 300, "db": "neo4j", "servers": servers}})
        else:
            raise BoltFailure(
                "Neo.ClientError.Request.Invalid", f"message 0x{tag:02X} is not supported by the local server"
            )

    @staticmethod
    def _check_db(db: Any) -> None:
        if db not in DATABASES:
            raise BoltFailure(
                "Neo.ClientError.Database.DatabaseNotFound",
                f"the local server has one database, 'neo4j' (FalkorDB graph 'falkordb'); not {db!r}",
            )

    async def run_query(self, query: str, params: dict[str, Any], extra: dict[str, Any]) -> None:
        scope = self.tx if self.tx is not None else extra
        self._check_db(scope.get("db"))
        check_params(params)
        read = scope.get("mode") == "r"
        if self.graph is None:
            self.graph = await asyncio.to_thread(self.server._graph)
        t0 = time.perf_counter()
        try:
            res = await asyncio.to_thread(self.server.execute, self.graph, query, params, read)
        except BoltFailure:
            raise
        except (ConnectionError, OSError) as e:
            raise ConnectionError(f"FalkorDB is not reachable: {e}") from None
        except Exception as e:  # noqa: BLE001 - redis/FalkorDB errors become FAILURE messages
            if type(e).__name__ in ("ConnectionError", "TimeoutError", "BusyLoadingError"):
                raise ConnectionError(f"FalkorDB is not reachable: {e}") from None
            raise classify(e) from None
        meta: dict[str, Any] = {"fields": res.fields, "t_first": int((time.perf_counter() - t0) * 1000)}
        if self.tx is not None:
            self.qid += 1
            meta["qid"] = self.qid
            self.results[self.qid] = res
        else:
            self.results = {-1: res}
        await self.send(SUCCESS, meta)

    async def stream(self, extra: dict[str, Any], discard: bool) -> None:
        qid = extra.get("qid", -1)
        key = qid if qid != -1 else (max(self.results) if self.results else -1)
        res = self.results.get(key)
        if res is None:
            raise BoltFailure("Neo.ClientError.Request.Invalid", "no open result to pull from (RUN first)")
        n = extra.get("n", -1)
        take = len(res.rows) if n is None or n < 0 else min(n, len(res.rows))
        batch, res.rows = res.rows[:take], res.rows[take:]
        if not discard:
            try:
                data = b"".join(chunk(pack(Structure(RECORD, [row]))) for row in batch)
            except PackStreamError as e:
                self.results.pop(key, None)
                raise BoltFailure(
                    "Neo.ClientError.Statement.TypeError", f"a value in the result cannot be sent over Bolt: {e}"
                ) from None
            self.writer.write(data)
            await self.writer.drain()
        if res.rows and not discard:
            await self.send(SUCCESS, {"has_more": True})
            return
        del self.results[key]
        summary = dict(res.summary, db="neo4j")
        if self.tx is None:
            summary["bookmark"] = f"kg:{time.time_ns()}"
        await self.send(SUCCESS, summary)


async def _watch(redis_port: int, server: asyncio.AbstractServer, every: float = 0.5) -> None:
    """Close ``server`` when FalkorDB stops accepting connections (two misses in a row)."""
    misses = 0
    while misses < 2:
        await asyncio.sleep(every)
        try:
            _, w = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", redis_port), 2)
            w.close()
            misses = 0
        except (OSError, asyncio.TimeoutError):
            misses += 1
    log.info("FalkorDB on port %d is gone; stopping", redis_port)
    server.close()


async def _main(host: str, port: int, redis_port: int, password: str | None) -> None:
    import signal

    bolt = BoltServer(redis_port, password)
    server = await bolt.serve(host, port)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, server.close)
    watcher = asyncio.create_task(_watch(redis_port, server))
    log.info(
        "Bolt on %s:%d for FalkorDB on 127.0.0.1:%d (%s)",
        host,
        port,
        redis_port,
        "password required" if password else "no password",
    )
    with contextlib.suppress(asyncio.CancelledError):
        await server.wait_closed()
    watcher.cancel()


def main(argv: list[str] | None = None) -> None:
    """``python -m kg.stores.bolt_server --port P --redis-port R``; the password from $KG_GRAPHDB_PASSWORD."""
    ap = argparse.ArgumentParser(prog="python -m kg.stores.bolt_server", description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--redis-port", type=int, required=True)
    a = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    asyncio.run(_main(a.host, a.port, a.redis_port, os.environ.get("KG_GRAPHDB_PASSWORD") or None))


if __name__ == "__main__":
    main()
