"""A query worker: the process that holds the store open and answers requests (:func:`worker_main`), and
:class:`Worker`, the parent's handle on one."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from pathlib import Path

from kg.errors import KgError, StoreMissing
from kg.sparql.errors import MemoryLimit, SparqlError, WorkerDied
from kg.sparql.execute import TooMany, execute
from kg.sparql.limits import OUT_OF_MEMORY, die_with_parent, limit_memory
from kg.sparql.protocol import Request
from kg.stores.embedded import StoreDir

__all__ = ["Worker", "worker_main", "exec_main", "open_store"]

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


def open_store(store_dir: StoreDir, writable: bool):
    import pyoxigraph as ox

    gen = store_dir.current
    if gen is None:
        raise StoreMissing(f"no graph built at {store_dir.path}; run `kg build` first")
    path = str(gen / "oxigraph")
    return gen, (ox.Store(path) if writable else ox.Store.read_only(path))



def worker_main(conn, store_path: str, writable: bool, parent_fd: int | None = None,
                 max_memory: int | None = None, err_fd: int | None = None) -> None:
    """Serve requests from ``conn`` until it closes; reopen the store when a build swapped it.

    ``parent_fd`` is the parent's end of the pipe, inherited by a forked worker: closed here
    so that an idle worker sees end-of-file and exits when the parent dies; a busy one is
    killed by the kernel (``PR_SET_PDEATHSIG``). ``err_fd`` becomes the worker's stderr (where
    a failed allocation is reported as the process aborts). Once the store is open, the worker
    may grow by ``max_memory`` MB: what it holds then (the store, and a forked worker's copy of
    its parent) is not the query's.
    """
    if parent_fd is not None:
        os.close(parent_fd)
    if err_fd is not None:
        import faulthandler
        import sys

        os.dup2(err_fd, 2)
        if faulthandler.is_enabled():  # it kept the parent's stderr: a crash report goes to ours instead
            faulthandler.enable(sys.stderr)
    die_with_parent()
    store_dir = StoreDir(store_path)
    gen, store = None, None
    try:
        gen, store = open_store(store_dir, writable)
        limit_memory(max_memory)
        conn.send(("ready", str(gen)))
    except Exception as e:  # reported to the parent, which raises it
        conn.send(("error", str(e)))
        return
    while True:
        try:
            req = conn.recv()
        except (EOFError, OSError):
            return
        if req is None:
            return
        try:
            if store_dir.current != gen:
                store = None
                limit_memory(None)  # opening a store is not the query's memory
                gen, store = open_store(store_dir, writable)
                limit_memory(max_memory)
            conn.send(("ok", execute(store, req)))
        except MemoryError:  # Python's own allocations past the limit; the parent replaces this worker
            with contextlib.suppress(Exception):
                conn.send(("memory", None))
            return
        except SyntaxError as e:
            conn.send(("syntax", str(e)))
        except TooMany:
            conn.send(("toolarge", req.max_rows))
        except KgError as e:
            conn.send(("error", str(e)))
        except Exception as e:  # an Oxigraph evaluation error: a message for the user
            conn.send(("error", f"{type(e).__name__}: {e}"))



class Worker:
    """One worker process and the connection to it.

    ``fork``: a child of this process (about 5 ms), used while this process has no other
    thread and has not loaded Oxigraph, so the child inherits no lock held elsewhere.
    ``exec``: a fresh interpreter (about 90 ms) talking over an inherited socket, for a
    server or any other process where forking would be unsafe; unlike multiprocessing's
    spawn it never re-imports the caller's ``__main__``.
    """

    def __init__(self, method: str, store_path: Path, writable: bool, start_timeout: float,
                 max_memory: int | None = None):
        import tempfile

        self.max_memory = max_memory
        # the worker's stderr: where it says why it aborted (a failed allocation), read when it dies
        self.errlog = tempfile.TemporaryFile(prefix="kg-sparql-worker-")
        self._mark = 0
        if method == "fork":
            ctx = multiprocessing.get_context("fork")
            self.conn, child = ctx.Pipe()
            args = (child, str(store_path), writable, self.conn.fileno(), max_memory, self.errlog.fileno())
            self.proc = ctx.Process(target=worker_main, args=args,
                                    daemon=True, name="kg-sparql-worker")
            self.proc.start()
            child.close()
        else:
            import socket
            import subprocess
            import sys
            from multiprocessing.connection import Connection

            ours, theirs = socket.socketpair()
            self.conn = Connection(ours.detach())
            fd = theirs.fileno()
            path = os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))
            env = {**os.environ, "PYTHONPATH": path}
            self.proc = subprocess.Popen(
                [sys.executable, "-c", "from kg.sparql.worker import exec_main; exec_main()", str(fd), str(store_path),
                 "w" if writable else "r",
                 str(max_memory or 0)],
                pass_fds=(fd,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.errlog, env=env)
            theirs.close()
        try:
            if not self.conn.poll(start_timeout):
                self.kill()
                raise SparqlError(f"the query worker did not start within {start_timeout:g} s")
            kind, info = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise self.failure(starting=True) from None
        if kind != "ready":
            self.kill()
            raise KgError(info)
        self.generation = info

    def send(self, req: Request) -> None:
        self._mark = os.fstat(self.errlog.fileno()).st_size  # what the worker says from here on is about this request
        self.conn.send(req)

    def memory_limit(self) -> MemoryLimit:
        return MemoryLimit(f"the query used more than {self.max_memory:,} MB of memory and was stopped; "
                           "narrow it, or raise --max-memory")

    def failure(self, starting: bool = False) -> SparqlError:
        """Why the (dead, reaped) worker died: the memory limit if what it said about the request was a failed
        allocation."""
        fd = self.errlog.fileno()
        try:
            size = os.fstat(fd).st_size
            said = os.pread(fd, min(size - self._mark, 65536), self._mark) if size > self._mark else b""
        except OSError:
            said = b""
        self.errlog.close()
        if starting:
            lines = [ln.strip() for ln in said.decode("utf-8", "replace").splitlines() if ln.strip()] or ["no message"]
            # Python's exception, or an abort's reason
            gist = lines[-1] if lines[0].startswith("Traceback") else lines[0]
            return WorkerDied(f"the query worker stopped while starting: {gist[:300]}")
        if self.max_memory and any(m in said for m in OUT_OF_MEMORY):
            return self.memory_limit()
        return WorkerDied("the query worker died while answering (out of memory, or a query nested too deeply?); "
                          "it has been restarted")

    def _reap(self, timeout: float) -> bool:
        """Wait for the process to end; True if it did."""
        if isinstance(self.proc, multiprocessing.process.BaseProcess):
            self.proc.join(timeout)
            return not self.proc.is_alive()
        try:
            self.proc.wait(timeout)
            return True
        except Exception:  # subprocess.TimeoutExpired
            return False

    def alive(self) -> bool:
        if isinstance(self.proc, multiprocessing.process.BaseProcess):
            return self.proc.is_alive()
        return self.proc.poll() is None

    def kill(self) -> None:
        self.proc.kill()
        self._reap(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        if self._reap(2):
            self.conn.close()
        else:
            self.kill()
        self.errlog.close()




def exec_main() -> None:
    """Entry point of an ``exec`` worker: ``python -c … FD STORE r|w MAX_MEMORY_MB`` (0: no limit)."""
    import sys
    from multiprocessing.connection import Connection

    fd, store_path, mode, max_memory = sys.argv[1:5]
    worker_main(Connection(int(fd)), store_path, mode == "w", max_memory=int(max_memory) or None)
