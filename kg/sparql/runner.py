"""The pool of query workers (:class:`QueryRunner`) a timeout can kill, and :func:`run` for one query."""

from __future__ import annotations

import concurrent.futures
import functools
import queue
import threading
from pathlib import Path

from kg.errors import StoreMissing
from kg.sparql.check import check, syntax_error
from kg.sparql.errors import Busy, QueryFailed, QueryTimeout, ResultTooLarge, SparqlError
from kg.sparql.limits import DEFAULT_MAX_MEMORY
from kg.sparql.protocol import DEFAULT_TIMEOUT, Request, Result, default_format
from kg.sparql.worker import Worker
from kg.stores.embedded import StoreDir

__all__ = ["QueryRunner", "run", "START_METHOD"]

#: how worker processes start: "fork", "exec" (see :class:`_Worker`), or None to pick fork
#: whenever it is safe (the `kg sparql` command) and exec otherwise (the server, notebooks, tests)
START_METHOD: str | None = None


def _start_method() -> str:
    """``fork`` when it is safe (no other thread, no Oxigraph state to inherit), else ``exec``."""
    import sys

    safe = threading.active_count() == 1 and "pyoxigraph" not in sys.modules
    return "fork" if safe else "exec"


def _outcome(req: Request, kind: str, payload) -> Result | SparqlError:
    """A worker's answer: the result, or the error to raise."""
    if kind == "ok":
        return payload
    if kind == "syntax":
        return syntax_error(req.text, payload)
    if kind == "toolarge":
        return ResultTooLarge(f"the answer has more than {payload} rows (the limit); add LIMIT or narrow the query")
    return QueryFailed(payload)


def _settle(future, value: bool) -> None:
    if not future.done():
        future.set_result(value)


async def _readable(loop, w: Worker, limit: float | None) -> bool:
    """Wait on ``loop`` until ``w`` has answered; False after ``limit`` seconds (a timer, not a task per query)."""
    ready = loop.create_future()
    fd = w.conn.fileno()
    loop.add_reader(fd, _settle, ready, True)
    timer = loop.call_later(limit, _settle, ready, False) if limit is not None else None
    try:
        return await ready
    finally:
        loop.remove_reader(fd)
        if timer is not None:
            timer.cancel()


class QueryRunner:
    """A pool of worker processes that hold the store open; a query past its timeout kills its worker.

    Workers start on first use (or all at once with :meth:`start`) and are replaced after a
    kill. ``run`` is thread-safe, and :meth:`run_async` serves an asyncio loop: up to ``workers``
    queries run at once, others wait for a free worker (at most the timeout). Each worker may
    use ``max_memory`` MB (None or 0: no limit); a query that needs more raises
    :class:`MemoryLimit`. Use as a context manager or call :meth:`close`.
    """

    def __init__(self, store: Path | str, *, workers: int = 1, timeout: float | None = DEFAULT_TIMEOUT,
                 writable: bool = False, start_timeout: float = 60.0,
                 max_memory: int | None = DEFAULT_MAX_MEMORY):
        self.store_path = Path(store)
        if StoreDir(self.store_path).current is None:
            raise StoreMissing(f"no graph built at {self.store_path}; run `kg build` first")
        self.timeout = timeout or None
        self.writable = writable
        self.workers = 1 if writable else max(1, workers)  # one writer: RocksDB allows one
        self.start_timeout = start_timeout
        self.max_memory = max_memory or None
        self._idle: queue.Queue[Worker | None] = queue.Queue()
        self._live: set[Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._spawner: concurrent.futures.ThreadPoolExecutor | None = None
        self._slots = None  # an asyncio.Semaphore of workers, made by the first run_async (on its loop)
        for _ in range(self.workers):
            self._idle.put(None)

    def __enter__(self) -> QueryRunner:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        """Start every worker now (a server does this before it accepts requests)."""
        taken = [self._idle.get() for _ in range(self.workers)]
        try:
            taken = [w or self._spawn() for w in taken]
        finally:
            for w in taken:
                self._idle.put(w)

    def _spawn(self) -> Worker:
        method = START_METHOD or _start_method()  # decided now: a server starts workers from a thread
        start = functools.partial(Worker, method, self.store_path, self.writable, self.start_timeout, self.max_memory)
        if threading.current_thread() is threading.main_thread():
            w = start()
        else:
            # A worker dies with the thread that started it (PR_SET_PDEATHSIG is per thread), and
            # request threads come and go: start workers from one thread that lives as long as we do.
            with self._lock:
                if self._spawner is None:
                    self._spawner = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="kg-sparql-spawner")
            w = self._spawner.submit(start).result()
        with self._lock:
            self._live.add(w)
        return w

    def _drop(self, w: Worker) -> None:
        w.kill()
        with self._lock:
            self._live.discard(w)

    def _limit(self, timeout: float | None) -> float | None:
        if self._closed:
            raise SparqlError("the query runner is closed")
        return timeout if timeout is not None else self.timeout

    def _busy(self, limit: float | None) -> Busy:
        return Busy(f"all {self.workers} query workers stayed busy for {limit:g} s; try again later")

    def _ready(self, w: Worker | None) -> Worker:
        """``w`` if it is alive, else a new worker in its place (its slot is given back if none starts)."""
        if w is not None and not w.alive():  # died while idle (killed from outside): start afresh
            self._drop(w)
            w = None
        try:
            return w or self._spawn()
        except BaseException:
            self._idle.put(None)
            raise

    def _collect(self, w: Worker, req: Request) -> tuple[Worker | None, Result | SparqlError]:
        """Read the answer ``w`` has ready: (the worker to give back, None if it died; the result or the error)."""
        try:
            kind, payload = w.conn.recv()
        except (EOFError, OSError):
            self._drop(w)
            return None, w.failure()
        if kind == "memory":  # a MemoryError in the worker: it has stopped
            self._drop(w)
            return None, w.memory_limit()
        return w, _outcome(req, kind, payload)

    def _timed_out(self, w: Worker, limit: float | None) -> QueryTimeout:
        self._drop(w)
        return QueryTimeout(f"the query ran longer than {limit:g} s and was stopped; narrow it or add LIMIT")

    def run(self, req: Request, timeout: float | None = None) -> Result:
        """Answer ``req`` in a worker; raise :class:`QueryTimeout` after ``timeout`` seconds."""
        limit = self._limit(timeout)
        try:
            w: Worker | None = self._idle.get(timeout=limit)
        except queue.Empty:
            raise self._busy(limit) from None
        w = self._ready(w)
        try:
            w.send(req)
            if not w.conn.poll(limit):
                dead, w = w, None
                raise self._timed_out(dead, limit)
            w, out = self._collect(w, req)
        except (EOFError, OSError):  # the worker died before it read the request
            dead, w = w, None
            self._drop(dead)
            raise dead.failure() from None
        finally:
            self._idle.put(w)
        if isinstance(out, SparqlError):
            raise out
        return out

    async def run_async(self, req: Request, timeout: float | None = None) -> Result:
        """:meth:`run` for a caller on an asyncio event loop (the server).

        The loop itself watches the worker's pipe, so no thread waits for the answer: a query
        costs two wake-ups (the worker's, then the loop's) instead of four. The same timeout
        kills the worker; callers beyond ``workers`` wait on the loop, at most the timeout.
        """
        import asyncio

        limit = self._limit(timeout)
        loop = asyncio.get_running_loop()
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        try:
            if self._slots.locked():  # every worker busy: wait, at most the timeout
                await asyncio.wait_for(self._slots.acquire(), limit)
            else:
                await self._slots.acquire()
        except TimeoutError:
            raise self._busy(limit) from None
        try:
            return await self._exchange_async(loop, req, limit)
        finally:
            self._slots.release()

    async def _exchange_async(self, loop, req: Request, limit: float | None) -> Result:
        try:
            w: Worker | None = self._idle.get_nowait()  # a slot leaves one idle, unless run() is busy elsewhere
        except queue.Empty:
            try:
                w = await loop.run_in_executor(None, functools.partial(self._idle.get, timeout=limit))
            except queue.Empty:
                raise self._busy(limit) from None
        if w is None or not w.alive():
            w = await loop.run_in_executor(None, self._ready, w)
        try:
            w.send(req)
            if not await _readable(loop, w, limit):
                dead, w = w, None
                raise self._timed_out(dead, limit)
            w, out = self._collect(w, req)
        except (EOFError, OSError):
            dead, w = w, None
            self._drop(dead)
            raise dead.failure() from None
        except BaseException:  # cancelled while the worker still answers: its answer must not reach the next query
            if w is not None:
                self._drop(w)
                w = None
            raise
        finally:
            self._idle.put(w)
        if isinstance(out, SparqlError):
            raise out
        return out

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            live, self._live = list(self._live), set()
        for w in live:
            w.stop()
        if self._spawner is not None:
            self._spawner.shutdown()


def run(store: Path | str, text: str, *, fmt: str | None = None, graph: str | None = None,
        timeout: float | None = DEFAULT_TIMEOUT, allow_service: bool = False, table: bool = False,
        max_memory: int | None = DEFAULT_MAX_MEMORY) -> Result:
    """Check and answer one query in a fresh worker (``kg sparql``).

    ``fmt`` defaults to rows (``table=True``) or JSON for SELECT/ASK and Turtle for
    CONSTRUCT/DESCRIBE; ``graph`` restricts the default graph to one source document;
    the worker may use ``max_memory`` MB.
    """
    q = check(text, allow_service=allow_service)
    req = Request(text, default_format(q, fmt, table), q.form, graph=graph)
    with QueryRunner(store, workers=1, timeout=timeout, max_memory=max_memory) as runner:
        return runner.run(req)
