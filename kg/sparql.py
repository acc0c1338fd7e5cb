"""SPARQL for analysts: check a query, run it in a worker process a timeout can kill, serialize the answer.

A query runs against the embedded store with the project prefixes predeclared (a
``PREFIX`` line in the query overrides them) and, unless a graph is named, the union of
all named graphs as its default graph.

Oxigraph has no query timeout and evaluates inside Rust without returning to Python, so a
query runs in a worker process (:class:`QueryRunner`) that holds the store open; when a
query outlives its timeout the worker is killed and replaced. Serialization happens in the
worker too, so the result-size limit and the timeout also bound a huge answer. A query may
also make its worker grow by a limited amount of memory (``RLIMIT_DATA``, set once the store
is open): one that needs more makes the worker fail an allocation and die, which is reported
as :class:`MemoryLimit`, and the worker is replaced.

SPARQL Update, and ``SERVICE`` or ``LOAD`` (which would make Oxigraph send HTTP requests), are refused
unless the caller allows them.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import multiprocessing
import os
import queue
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import KgError, StoreMissing
from kg.model.terms import PREFIXES
from kg.stores.embedded import StoreDir

__all__ = [
    "Query", "Request", "Result", "QueryRunner", "check", "run", "execute", "syntax_error", "resolve_graph",
    "SOLUTION_FORMATS", "GRAPH_FORMATS", "QUERY_FORMS", "DEFAULT_TIMEOUT", "TURTLE_PREFIXES",
    "SparqlError", "QuerySyntaxError", "QueryRefused", "QueryTimeout", "ResultTooLarge", "Busy", "QueryFailed", "WorkerDied",
    "MemoryLimit", "MAX_NESTING", "DEFAULT_MAX_MEMORY",
]

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
_PROLOGUE_WORDS = {"PREFIX", "BASE", "VERSION"}
#: formats for SELECT and ASK answers: name -> media type ("table" is the CLI's own)
SOLUTION_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: formats for CONSTRUCT and DESCRIBE answers
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}
DEFAULT_TIMEOUT = 30.0
#: memory a query worker may use, in MB (its data segment and anonymous mappings: ``RLIMIT_DATA``)
DEFAULT_MAX_MEMORY = 1024
#: deepest nesting of (), [] and {} accepted: Oxigraph's recursive parser overflows its stack at a few thousand
MAX_NESTING = 500
#: prefixes written in Turtle output: all but ``id:``, whose IRIs hold a '/' that Turtle would escape
TURTLE_PREFIXES = {p: ns for p, ns in PREFIXES.items() if p != "id"}
#: how worker processes start: "fork", "exec" (see :class:`_Worker`), or None to pick fork
#: whenever it is safe (the `kg sparql` command) and exec otherwise (the server, notebooks, tests)
START_METHOD: str | None = None


class SparqlError(KgError):
    """A query that cannot be answered as asked."""


class QuerySyntaxError(SparqlError):
    """The query does not parse; ``line`` and ``column`` (1-based) are where the parser stopped."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.line, self.column, self.detail = line, column, message
        super().__init__(f"line {line}, column {column}: {message}" if line else message)


class QueryRefused(SparqlError):
    """An Update, a SERVICE call or a LOAD where they are not allowed."""


class QueryTimeout(SparqlError):
    """The query ran longer than its timeout and was stopped."""


class ResultTooLarge(SparqlError):
    """The answer has more rows (or triples) than the limit."""


class Busy(SparqlError):
    """No worker became free within the timeout."""


class QueryFailed(SparqlError):
    """The store could not evaluate the query as asked (an unsupported function, a graph name that is no IRI…)."""


class WorkerDied(SparqlError):
    """The worker process died while answering (it is restarted)."""


class MemoryLimit(SparqlError):
    """The query needed more memory than a worker may use (the worker is restarted)."""


# ---------------------------------------------------------------------------- checking


# Strings, IRIs and comments are skipped so that only the query's own words are looked at.
_LEX = re.compile(
    r'(?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\''
    r'|<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n\r]*)'
    r"|(?P<word>(?<![\w:?$@\-])[A-Za-z]+(?![\w:\-]))",
    re.S,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Query:
    """A checked query text: its form (SELECT, ASK, CONSTRUCT, DESCRIBE, UPDATE, or '' if unknown)."""

    text: str
    form: str
    uses_service: bool

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def _words(text: str) -> list[str]:
    # SPARQL applies \u escapes before parsing, so a keyword could be spelled with them
    text = _ESCAPE.sub(lambda m: chr(int(m[1] or m[2], 16)), text)
    return [m["word"].upper() for m in _LEX.finditer(text) if m["word"]]


def check(text: str, *, allow_update: bool = False, allow_service: bool = False) -> Query:
    """Classify ``text``; refuse an Update unless ``allow_update``, SERVICE or LOAD (the network) unless ``allow_service``.

    >>> check("SELECT ?s WHERE { ?s a park:Company }").form
    'SELECT'
    >>> check('PREFIX ex: <http://ex/select> ASK { ?s ex:p "INSERT" }').form
    'ASK'
    >>> check("INSERT DATA { <a> <b> <c> }").form
    Traceback (most recent call last):
    ...
    kg.sparql.QueryRefused: SPARQL Update is refused: this graph is read-only (it is compiled from the facts; edit seeds/facts and run kg build)
    """
    if not text.strip():
        raise QuerySyntaxError("the query is empty")
    if bad := re.search("[\ud800-\udfff]", text):  # bytes that were not UTF-8 (surrogateescape)
        raise QuerySyntaxError(f"the query is not UTF-8 text: an undecodable byte at character {bad.start() + 1}; save it as UTF-8")
    if _nesting(text) > MAX_NESTING:
        raise QuerySyntaxError(f"the query nests brackets more than {MAX_NESTING} deep; flatten it")
    words = _words(text)
    first = next((w for w in words if w not in _PROLOGUE_WORDS), "")
    form = first if first in QUERY_FORMS else "UPDATE" if first in _UPDATE_WORDS else ""
    service = "SERVICE" in words
    if form == "UPDATE" and not allow_update:
        raise QueryRefused(
            "SPARQL Update is refused: this graph is read-only (it is compiled from the facts; edit seeds/facts and run kg build)"
        )
    if service and not allow_service:
        raise QueryRefused("SERVICE is refused: queries may not call other endpoints (start with --allow-service to permit it)")
    if "LOAD" in words and not allow_service:
        raise QueryRefused("LOAD is refused: it would fetch a document from the network (start with --allow-service to permit it)")
    return Query(text, form, service)


def _nesting(text: str) -> int:
    """The deepest nesting of brackets outside strings, IRIs and comments."""
    depth = deepest = 0
    for ch in _LEX.sub(lambda m: " " if m["skip"] else m[0], text):
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
    return deepest


_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.S)


def syntax_error(text: str, message: str) -> QuerySyntaxError:
    """Oxigraph's ``error at L:C: expected …`` as a short :class:`QuerySyntaxError`.

    >>> str(syntax_error("SELECT * { ?s id:doc/x ?o }", "error at 1:23: expected one of \\".\\", [_]"))
    'line 1, column 23: expected one of "." — near "?o }" (a prefixed name cannot contain \\'/\\': write the full <IRI> or escape it, e.g. id:doc\\\\/x)'
    """
    m = _POSITION.match(message)
    if not m:
        return QuerySyntaxError(" ".join(message.split()))
    line, col, detail = int(m[1]), int(m[2]), m[3]
    lines = text.splitlines() or [""]
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    if "Prefix not found" in detail:
        declared = set(PREFIXES) | set(re.findall(r"PREFIX\s+([\w.\-]*):", text, re.I))
        used = [p for p in re.findall(r"(?<![\w?$<])([A-Za-z][\w.\-]*)?:", src[: col]) if p not in declared]
        msg = f"undeclared prefix {used[-1] if used else ''}: (declared: {', '.join(sorted(PREFIXES))}; add a PREFIX line for others)"
        return QuerySyntaxError(msg, line, col)
    msg = _expected(detail)
    near = src[col - 1 : col + 19].strip() if col - 1 < len(src) else ""
    msg += f' — near "{near}"' if near else " — at the end of the line"
    if re.search(r"(?<![\w?$<])[A-Za-z][\w\-]*:[\w.\-]*/", src):
        msg += " (a prefixed name cannot contain '/': write the full <IRI> or escape it, e.g. id:doc\\/x)"
    return QuerySyntaxError(msg, line, col)


def _expected(detail: str) -> str:
    """Keep the token names of an 'expected one of …' list, drop character classes."""
    head, _, items = detail.partition("expected one of ")
    if not items:
        return " ".join(detail.split())
    tokens = [t for t in re.findall(r'"[^"]*"|[A-Za-z_][\w]*', re.sub(r"\[[^\]]*\]", "", items))]
    shown = ", ".join(tokens[:8]) + (", …" if len(tokens) > 8 else "")
    return (head + "expected one of " + shown) if tokens else (head + "unexpected character").strip()


# ---------------------------------------------------------------------------- requests


@dataclass
class Request:
    """One query (or update) for a worker.

    ``fmt`` is a key of :data:`SOLUTION_FORMATS` or :data:`GRAPH_FORMATS`, or ``rows`` for
    plain rows (the CLI's table). ``graph`` names one source document (id, ``id:doc/…`` or
    IRI) whose named graph becomes the default graph; ``default_graphs``/``named_graphs``
    are the SPARQL Protocol's dataset IRIs. With none of them the default graph is the
    union of all named graphs.
    """

    text: str
    fmt: str = "json"
    form: str = "SELECT"
    graph: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int | None = None


@dataclass
class Result:
    """An answer: serialized ``body`` (``media_type``), or ``rows`` for fmt ``rows``; ``count`` rows/triples."""

    form: str
    fmt: str
    media_type: str = ""
    body: bytes = b""
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, str]] = field(default_factory=list)
    boolean: bool | None = None
    count: int = 0
    seconds: float = 0.0

    @property
    def empty(self) -> bool:
        return self.boolean is None and self.count == 0


def default_format(query: Query, fmt: str | None, table: bool = False) -> str:
    """The format to answer ``query`` in; refuses a graph format for solutions and vice versa."""
    if query.form == "UPDATE":
        return "update"
    if fmt is None:
        return "turtle" if query.returns_graph else "rows" if table else "json"
    fmt = "rows" if fmt == "table" else fmt
    if query.returns_graph and fmt not in GRAPH_FORMATS:
        raise SparqlError(f"a {query.form} query returns a graph: use --format {'|'.join(GRAPH_FORMATS)}")
    if query.form in ("SELECT", "ASK") and fmt not in SOLUTION_FORMATS and fmt != "rows":
        raise SparqlError(f"a {query.form} query returns {'a boolean' if query.form == 'ASK' else 'solutions'}: use --format table|{'|'.join(SOLUTION_FORMATS)}")
    return fmt


# ---------------------------------------------------------------------------- the worker side


class _TooMany(Exception):
    pass


class _Counted:
    """A binary sink for Oxigraph's TSV writer that stops once it has seen ``limit`` rows."""

    def __init__(self, limit: int | None):
        self.limit, self.lines, self.data = limit, 0, bytearray()

    def write(self, b) -> int:
        self.data += b
        self.lines += bytes(b).count(b"\n")
        if self.limit is not None and self.lines > self.limit + 1:  # + the header line
            raise _TooMany()
        return len(b)

    def flush(self) -> None:
        pass


def _display(term) -> str:
    """A term as a terminal shows it: prefixed IRIs, the text of literals."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for p, ns in PREFIXES.items():
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{p}:{term.value[len(ns):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def resolve_graph(store, name: str) -> str:
    """The named graph of a source document: its id (``xnbio-2024-07a``), ``id:doc/…``, IRI or file name."""
    graphs = [g.value for g in store.named_graphs()]
    doc = PREFIXES["id"] + "doc/"
    name = name.strip().strip("<>")
    cands = [name, doc + name.removeprefix("id:doc/")] if not name.startswith("http") else [name]
    for c in cands:
        if c in graphs:
            return c
    stem = name.removesuffix(".txt")
    for sol in store.query(
        "SELECT ?g ?f WHERE { GRAPH ?g { ?g park:fileName ?f } }", prefixes=PREFIXES
    ):
        if sol["f"].value.removesuffix(".txt") == stem:
            return sol["g"].value
    known = sorted(g.removeprefix(doc) for g in graphs if g.startswith(doc))
    raise SparqlError(f"no source document {name!r}; known documents: {', '.join(known) or '(none)'}")


def _dataset(store, req: Request) -> dict[str, Any]:
    import pyoxigraph as ox

    def iri(value: str, what: str):
        try:
            return ox.NamedNode(value)
        except ValueError as e:
            raise SparqlError(f"{what} {value!r} is not an IRI ({e})") from None

    kw: dict[str, Any] = {"prefixes": PREFIXES}
    own_dataset = "FROM" in _words(req.text)  # FROM / FROM NAMED: the query names its graphs (in the store; nothing is fetched)
    if req.graph:
        kw["default_graph"] = [ox.NamedNode(resolve_graph(store, req.graph))]
    elif req.default_graphs:
        kw["default_graph"] = [iri(g, "default-graph-uri") for g in req.default_graphs]
    elif not own_dataset:
        kw["use_default_graph_as_union"] = True
    if req.named_graphs:
        kw["named_graphs"] = [iri(g, "named-graph-uri") for g in req.named_graphs]
    return kw


def execute(store, req: Request) -> Result:
    """Answer ``req`` on an open pyoxigraph ``store`` (in the current process, without timeout)."""
    import pyoxigraph as ox

    t0 = time.perf_counter()
    if req.fmt == "update":
        store.update(req.text, prefixes=PREFIXES)
        return Result("UPDATE", "update", "text/plain", b"", seconds=time.perf_counter() - t0)
    answer = store.query(req.text, **_dataset(store, req))
    if isinstance(answer, ox.QueryBoolean):
        res = Result("ASK", req.fmt, boolean=bool(answer))
        if req.fmt != "rows":
            res.media_type, res.body = SOLUTION_FORMATS[req.fmt], answer.serialize(format=_results_format(req.fmt))
    elif isinstance(answer, ox.QuerySolutions):
        res = _solutions(answer, req)
    else:
        triples = []
        for t in answer:
            triples.append(t)
            if req.max_rows is not None and len(triples) > req.max_rows:
                raise _TooMany()
        fmt = req.fmt if req.fmt in GRAPH_FORMATS else "turtle"
        body = ox.serialize(triples, format=_rdf_format(fmt), prefixes=TURTLE_PREFIXES if fmt in ("turtle", "rdfxml") else None)
        res = Result(req.form if req.form in ("CONSTRUCT", "DESCRIBE") else "CONSTRUCT", fmt, GRAPH_FORMATS[fmt], body, count=len(triples))
    res.seconds = time.perf_counter() - t0
    return res


def _solutions(answer, req: Request) -> Result:
    import pyoxigraph as ox

    variables = [v.value for v in answer.variables]
    sink = _Counted(req.max_rows)
    answer.serialize(sink, format=ox.QueryResultsFormat.TSV)
    tsv = bytes(sink.data)
    res = Result("SELECT", req.fmt, variables=variables, count=max(tsv.count(b"\n") - 1, 0))
    if req.fmt == "rows":
        sols = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
        res.rows = [{v: _display(s[v]) for v in variables} for s in sols]
    elif req.fmt == "tsv":
        res.media_type, res.body = SOLUTION_FORMATS["tsv"], tsv
    else:
        sols = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
        res.media_type, res.body = SOLUTION_FORMATS[req.fmt], sols.serialize(format=_results_format(req.fmt))
    return res


def _results_format(fmt: str):
    import pyoxigraph as ox

    return {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML, "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[fmt]


def _rdf_format(fmt: str):
    import pyoxigraph as ox

    return {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}[fmt]


def _open(store_dir: StoreDir, writable: bool):
    import pyoxigraph as ox

    gen = store_dir.current
    if gen is None:
        raise StoreMissing(f"no graph built at {store_dir.path}; run `kg build` first")
    path = str(gen / "oxigraph")
    return gen, (ox.Store(path) if writable else ox.Store.read_only(path))


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when its parent dies, even in the middle of a query."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the worker exits at its next request instead
        pass


def _data_size() -> int:
    """Bytes of this process's data segment and private writable mappings now (what ``RLIMIT_DATA`` counts); 0 if unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _limit_memory(mb: int | None) -> None:
    """Let this process's data (heap and anonymous mappings) grow by at most ``mb`` MB from now on;
    past it allocations fail. None or 0 lifts the limit. Only the soft limit is set: a query runs
    no Python code that could raise it, and the worker lifts it to reopen the store."""
    try:
        import resource
    except ImportError:  # not POSIX: no limit
        return
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    limit = _data_size() + mb * 2**20 if mb else hard
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def _worker_main(conn, store_path: str, writable: bool, parent_fd: int | None = None,
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
    _die_with_parent()
    store_dir = StoreDir(store_path)
    gen, store = None, None
    try:
        gen, store = _open(store_dir, writable)
        _limit_memory(max_memory)
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
                _limit_memory(None)  # opening a store is not the query's memory
                gen, store = _open(store_dir, writable)
                _limit_memory(max_memory)
            conn.send(("ok", execute(store, req)))
        except MemoryError:  # Python's own allocations past the limit; the parent replaces this worker
            with contextlib.suppress(Exception):
                conn.send(("memory", None))
            return
        except SyntaxError as e:
            conn.send(("syntax", str(e)))
        except _TooMany:
            conn.send(("toolarge", req.max_rows))
        except KgError as e:
            conn.send(("error", str(e)))
        except Exception as e:  # an Oxigraph evaluation error: a message for the user
            conn.send(("error", f"{type(e).__name__}: {e}"))


# ---------------------------------------------------------------------------- the parent side


class _Worker:
    """One worker process and the connection to it.

    ``fork``: a child of this process (about 5 ms), used while this process has no other
    thread and has not loaded Oxigraph, so the child inherits no lock held elsewhere.
    ``exec``: a fresh interpreter (about 90 ms) talking over an inherited socket, for a
    server or any other process where forking would be unsafe; unlike multiprocessing's
    spawn it never re-imports the caller's ``__main__``.
    """

    def __init__(self, method: str, store_path: Path, writable: bool, start_timeout: float, max_memory: int | None = None):
        import tempfile

        self.max_memory = max_memory
        # the worker's stderr: where it says why it aborted (a failed allocation), read when it dies
        self.errlog = tempfile.TemporaryFile(prefix="kg-sparql-worker-")
        self._mark = 0
        if method == "fork":
            ctx = multiprocessing.get_context("fork")
            self.conn, child = ctx.Pipe()
            self.proc = ctx.Process(target=_worker_main, args=(child, str(store_path), writable, self.conn.fileno(), max_memory, self.errlog.fileno()),
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
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))}
            self.proc = subprocess.Popen(
                [sys.executable, "-c", "from kg.sparql import _worker_exec; _worker_exec()", str(fd), str(store_path), "w" if writable else "r",
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
        return MemoryLimit(f"the query used more than {self.max_memory:,} MB of memory and was stopped; narrow it, or raise --max-memory")

    def failure(self, starting: bool = False) -> SparqlError:
        """Why the (dead, reaped) worker died: the memory limit if what it said about the request was a failed allocation."""
        fd = self.errlog.fileno()
        try:
            size = os.fstat(fd).st_size
            said = os.pread(fd, min(size - self._mark, 65536), self._mark) if size > self._mark else b""
        except OSError:
            said = b""
        self.errlog.close()
        if starting:
            lines = [ln.strip() for ln in said.decode("utf-8", "replace").splitlines() if ln.strip()] or ["no message"]
            gist = lines[-1] if lines[0].startswith("Traceback") else lines[0]  # Python's exception, or an abort's reason
            return WorkerDied(f"the query worker stopped while starting: {gist[:300]}")
        if self.max_memory and any(m in said for m in _OUT_OF_MEMORY):
            return self.memory_limit()
        return WorkerDied("the query worker died while answering (out of memory, or a query nested too deeply?); it has been restarted")

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


#: what a worker's stderr holds when an allocation failed: Rust's alloc error handler, C++'s, Python's,
#: RocksDB's cache, and a thread that got no stack
_OUT_OF_MEMORY = (b"memory allocation of", b"std::bad_alloc", b"MemoryError", b"Anonymous mmap", b"Resource temporarily unavailable")

_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)


def _worker_exec() -> None:
    """Entry point of an ``exec`` worker: ``python -c … FD STORE r|w MAX_MEMORY_MB`` (0: no limit)."""
    import sys
    from multiprocessing.connection import Connection

    fd, store_path, mode, max_memory = sys.argv[1:5]
    _worker_main(Connection(int(fd)), store_path, mode == "w", max_memory=int(max_memory) or None)


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
                 writable: bool = False, start_timeout: float = 60.0, max_memory: int | None = DEFAULT_MAX_MEMORY):
        self.store_path = Path(store)
        if StoreDir(self.store_path).current is None:
            raise StoreMissing(f"no graph built at {self.store_path}; run `kg build` first")
        self.timeout = timeout or None
        self.writable = writable
        self.workers = 1 if writable else max(1, workers)  # one writer: RocksDB allows one
        self.start_timeout = start_timeout
        self.max_memory = max_memory or None
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        self._live: set[_Worker] = set()
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

    def _spawn(self) -> _Worker:
        method = START_METHOD or _start_method()  # decided now: a server starts workers from a thread
        start = functools.partial(_Worker, method, self.store_path, self.writable, self.start_timeout, self.max_memory)
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

    def _drop(self, w: _Worker) -> None:
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
