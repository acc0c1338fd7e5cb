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


class QueryRunner:
    """A pool of worker processes that hold the store open; a query past its timeout kills its worker.

    Workers start on first use (or all at once with :meth:`start`) and are replaced after a
    kill. ``run`` is thread-safe: up to ``workers`` queries run at once, others wait for a
    free worker (at most the timeout). Each worker may use ``max_memory`` MB (None or 0: no
    limit); a query that needs more raises :class:`MemoryLimit`. Use as a context manager or
    call :meth:`close`.
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

    def run(self, req: Request, timeout: float | None = None) -> Result:
        """Answer ``req`` in a worker; raise :class:`QueryTimeout` after ``timeout`` seconds."""
        if self._closed:
            raise SparqlError("the query runner is closed")
        limit = timeout if timeout is not None else self.timeout
        try:
            w = self._idle.get(timeout=limit)
        except queue.Empty:
            raise Busy(f"all {self.workers} query workers stayed busy for {limit:g} s; try again later") from None
        if w is not None and not w.alive():  # died while idle (killed from outside): start afresh
            self._drop(w)
            w = None
        try:
            w = w or self._spawn()
        except BaseException:
            self._idle.put(None)
            raise
        try:
            w.send(req)
            if not w.conn.poll(limit):
                self._drop(w)
                w = None
                raise QueryTimeout(f"the query ran longer than {limit:g} s and was stopped; narrow it or add LIMIT")
            kind, payload = w.conn.recv()
            if kind == "memory":  # a MemoryError in the worker: it has stopped
                dead, w = w, None
                self._drop(dead)
                raise dead.memory_limit()
        except (EOFError, OSError):
            dead, w = w, None
            self._drop(dead)
            raise dead.failure() from None
        finally:
            self._idle.put(w)
        if kind == "ok":
            return payload
        if kind == "syntax":
            raise syntax_error(req.text, payload)
        if kind == "toolarge":
            raise ResultTooLarge(f"the answer has more than {payload} rows (the limit); add LIMIT or narrow the query")
        raise QueryFailed(payload)

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
