"""The SPARQL 1.1 Protocol endpoint over the embedded store: a Starlette app served by uvicorn.

* ``GET /sparql?query=…`` and ``POST /sparql`` with ``application/x-www-form-urlencoded``
  (``query=``) or ``application/sparql-query``; ``default-graph-uri`` and
  ``named-graph-uri`` set the dataset (default: the union of all named graphs).
* The answer's format is negotiated from ``Accept`` (or a ``format``/``output``
  parameter): SPARQL results JSON, XML, CSV, TSV for SELECT/ASK; Turtle, JSON-LD,
  N-Triples, RDF/XML for CONSTRUCT/DESCRIBE.
* Read-only unless started writable: an Update (``update=`` or
  ``application/sparql-update``) gets 403; SERVICE and LOAD get 403 unless allowed.
* Writable, it defends against the web pages its user visits: a ``Host`` that is not a
  name it was started for gets 421 (DNS rebinding); an update from a foreign ``Origin``
  or with ``Sec-Fetch-Site: cross-site`` gets 403 (a form POST needs no preflight); an
  update without the server's token (``Authorization: Bearer …``) gets 401.
* Each query runs in a worker process (:class:`kg.sparql.QueryRunner`) that is killed
  after the timeout (503), and that may use ``max_memory`` MB (503 past it); an answer
  over the row limit gets 422; a query that does not parse gets 400 with the parser's
  line, column and message.
* CORS is open to any origin without credentials on reads, so a browser editor (YASGUI)
  can query the endpoint; a read-only endpoint also allows Private Network Access, so such
  an editor served from a public site can reach 127.0.0.1. Updates get no CORS headers.
* A request body larger than ``max_query_bytes`` gets 413, one that has not arrived within
  the timeout 408; every response carries a Content-Security-Policy that lets nothing load
  or run (``default-src 'none'``), ``nosniff`` and ``no-referrer``.
* ``GET /health`` describes the graph served; one log line per request.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import endpoint_security as guard
from kg import sparql as sp
from kg.errors import KgError
from kg.stores.embedded import StoreDir

__all__ = ["ServerConfig", "create_app", "serve", "negotiate", "SOLUTION_MEDIA", "GRAPH_MEDIA", "SECURITY_HEADERS"]

log = logging.getLogger("kg.server")

#: media types offered for SELECT/ASK answers, the default first
SOLUTION_MEDIA = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: media types offered for CONSTRUCT/DESCRIBE answers, the default first
GRAPH_MEDIA = {
    "text/turtle": "turtle",
    "application/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "rdfxml",
}
# values of the format/output parameters that clients such as SPARQLWrapper send
_FORMAT_PARAM = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle", "n3": "turtle",
                 "json-ld": "jsonld", "jsonld": "jsonld", "nt": "nt", "ntriples": "nt", "rdf+xml": "rdfxml", "rdfxml": "rdfxml"}
#: sent with every response: nothing served here may load, run or be framed, whatever its type
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
_STATUS = {sp.QuerySyntaxError: 400, sp.QueryFailed: 400, sp.QueryRefused: 403, sp.QueryTimeout: 503, sp.Busy: 503,
           sp.ResultTooLarge: 422, sp.WorkerDied: 500, sp.MemoryLimit: 503}


@dataclass
class ServerConfig:
    """How the endpoint runs: store, limits, and what it permits.

    A writable endpoint needs ``token`` (what updates must send as ``Authorization: Bearer``),
    and answers only requests whose ``Host`` is a loopback name, ``host`` or one of
    ``allowed_hosts`` (:mod:`kg.endpoint_security`).
    """

    store: Path
    timeout: float = sp.DEFAULT_TIMEOUT
    max_rows: int = 100_000
    workers: int = 2
    writable: bool = False
    allow_service: bool = False
    max_query_bytes: int = 1_000_000
    max_memory: int | None = sp.DEFAULT_MAX_MEMORY  # MB per query worker; None or 0: no limit
    host: str = "127.0.0.1"
    allowed_hosts: tuple[str, ...] = ()
    token: str | None = field(default=None, repr=False)


class _Refusal(guard.Refused):
    """A request the protocol handling refuses (status, message)."""


def negotiate(accept: str | None, offers: dict[str, str], param: list[str] | None = None) -> str | None:
    """The format to answer in: a known ``format``/``output`` value, else the best ``Accept`` match.

    ``offers`` maps media types to formats, the default first; None when nothing acceptable.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", SOLUTION_MEDIA)
    'xml'
    >>> negotiate("*/*", GRAPH_MEDIA), negotiate(None, GRAPH_MEDIA), negotiate("image/png", GRAPH_MEDIA)
    ('turtle', 'turtle', None)
    """
    from werkzeug.datastructures import MIMEAccept
    from werkzeug.http import parse_accept_header

    allowed = set(offers.values())
    for value in param or []:
        fmt = _FORMAT_PARAM.get(value.strip().lower()) or offers.get(value.strip().lower())
        if fmt == "xml" and "rdfxml" in allowed:
            fmt = "rdfxml"
        if fmt in allowed:
            return fmt
    if not accept or not accept.strip():
        return next(iter(offers.values()))
    best = parse_accept_header(accept, MIMEAccept).best_match(list(offers))
    return offers[best] if best else None


def _first(params, name: str) -> str | None:
    values = params.getlist(name)
    return values[0] if values else None


async def _operation(request, cfg: ServerConfig) -> tuple[str, str, Any]:
    """(``query`` or ``update``, its text, the parameters) of a request, by the SPARQL Protocol."""
    params = request.query_params
    _form(request.scope.get("query_string", b""))  # refuses percent-escapes that are not UTF-8
    if request.method == "GET":
        if "update" in params:
            raise _Refusal(403 if not cfg.writable else 405, "SPARQL Update is refused: this endpoint is read-only" if not cfg.writable else "send SPARQL Update with POST")
        text = _first(params, "query")
        if text is None:
            raise _Refusal(400, "missing query: use GET /sparql?query=… or POST (see https://www.w3.org/TR/sparql11-protocol/)")
        return "query", text, params
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/x-www-form-urlencoded":
        form = _form(await _body(request, cfg))
        if "update" in form:
            return "update", form["update"], form
        if "query" not in form:
            raise _Refusal(400, "missing query: the form has no 'query' field")
        return "query", form["query"], form
    if ctype in ("application/sparql-query", "application/sparql-update"):
        body = await _body(request, cfg)
        return ("update" if ctype.endswith("update") else "query"), _utf8(body), params
    raise _Refusal(415, "POST a query as application/x-www-form-urlencoded (query=…) or application/sparql-query")


async def _body(request, cfg: ServerConfig) -> bytes:
    """The request body: refused past ``max_query_bytes`` (413, chunked or not) or when it is still
    arriving after the query timeout (408, a slow or stalled client)."""
    from anyio import fail_after
    from starlette.requests import ClientDisconnect

    too_big = _Refusal(413, f"the request is larger than {cfg.max_query_bytes:,} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cfg.max_query_bytes:
        raise too_big
    chunks, size = [], 0
    try:
        with fail_after(cfg.timeout or None):
            async for chunk in request.stream():
                size += len(chunk)
                if size > cfg.max_query_bytes:
                    raise too_big
                chunks.append(chunk)
    except TimeoutError:
        raise _Refusal(408, f"the request body did not arrive within {cfg.timeout:g} s") from None
    except ClientDisconnect:
        raise _Refusal(400, "the client went away before its request arrived") from None
    return b"".join(chunks)


def _form(data: bytes):
    """``name=value&…`` (a form body or a query string) as FormData; 400 unless it is UTF-8 throughout."""
    from urllib.parse import parse_qsl

    from starlette.datastructures import FormData

    try:
        return FormData(parse_qsl(_utf8(data), keep_blank_values=True, errors="strict"))
    except UnicodeDecodeError as e:
        raise _Refusal(400, f"the request is not UTF-8 ({e.reason}); the SPARQL protocol sends UTF-8") from None


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _Refusal(400, f"the request is not UTF-8 ({e.reason} at byte {e.start}); the SPARQL protocol sends UTF-8") from None


def _text(status: int, message: str, headers: dict[str, str] | None = None):
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(message + "\n", status_code=status, headers=headers or None)


def create_app(cfg: ServerConfig, runner: sp.QueryRunner | None = None):
    """The Starlette application; ``runner`` defaults to a :class:`~kg.sparql.QueryRunner` on ``cfg.store``."""
    import contextlib

    from anyio import to_thread
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    if cfg.writable and (not cfg.token or len(cfg.token) < guard.MIN_TOKEN_LENGTH):
        raise KgError(f"a writable endpoint needs a token of at least {guard.MIN_TOKEN_LENGTH} characters for updates")
    for name in cfg.allowed_hosts:
        if guard.host_name(name) is None:
            raise KgError(f"{name!r} is not a host name (an allowed host is a name or an IP address, without scheme or path)")
    names = guard.served_names(cfg.host, cfg.allowed_hosts)
    runner = runner or sp.QueryRunner(cfg.store, workers=cfg.workers, timeout=cfg.timeout, writable=cfg.writable, max_memory=cfg.max_memory)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await to_thread.run_sync(runner.start)
        mode = "WRITABLE (updates need the token and change the current build in place; kg build restores the facts)" if cfg.writable else "read-only"
        memory = f"{cfg.max_memory:,} MB" if cfg.max_memory else "no memory limit"
        log.info("serving %s (%s), timeout %g s, at most %s rows, %d worker(s), %s each", cfg.store, mode, cfg.timeout, f"{cfg.max_rows:,}",
                 runner.workers, memory)
        if cfg.writable:
            log.info("answering requests for the hosts %s only (--allowed-host adds one)", guard.shown_names(names))
        try:
            yield
        finally:
            await to_thread.run_sync(runner.close)

    async def sparql(request):
        info = request.scope.setdefault("kg.log", {})
        try:
            op, text, params = await _operation(request, cfg)
            info["query"] = text
            if op == "update":
                info["write"] = True  # no CORS headers on its answer
                if cfg.writable:
                    guard.check_write(request.headers, cfg.token)
            q = sp.check(text, allow_update=True, allow_service=cfg.allow_service)
            if "UPDATE" in (q.form, op.upper()):
                info["write"] = True
                if not cfg.writable:
                    raise _Refusal(403, "SPARQL Update is refused: this endpoint is read-only (kg serve --writable accepts updates)")
                if op != "update" or q.form in sp.QUERY_FORMS:
                    raise _Refusal(400, "send SPARQL Update as update=… or application/sparql-update, and queries as query=…")
                await to_thread.run_sync(runner.run, sp.Request(text, "update", "UPDATE"))
                info.update(form="UPDATE")
                return Response(status_code=204)
            offers = GRAPH_MEDIA if q.returns_graph else SOLUTION_MEDIA
            fmt = negotiate(request.headers.get("accept"), offers, params.getlist("format") + params.getlist("output"))
            if fmt is None:
                raise _Refusal(406, f"cannot answer a {q.form or 'query'} in {request.headers.get('accept')}; acceptable: {', '.join(offers)}")
            req = sp.Request(text, fmt, q.form, default_graphs=tuple(params.getlist("default-graph-uri")),
                             named_graphs=tuple(params.getlist("named-graph-uri")), max_rows=cfg.max_rows)
            res = await to_thread.run_sync(runner.run, req)
        except guard.Refused as e:
            info["error"] = e.message
            return _text(e.status, e.message, e.headers)
        except sp.SparqlError as e:
            info["error"] = str(e)
            return _text(_STATUS.get(type(e), 500), str(e))
        info.update(form=res.form, count=str(res.boolean).lower() if res.boolean is not None else f"{res.count} {'triples' if q.returns_graph else 'rows'}")
        return Response(res.body, media_type=res.media_type, headers={"Vary": "Accept"})

    async def health(request):
        store = StoreDir(cfg.store)
        manifest = store.manifest() or {}
        counts = manifest.get("counts", {})
        return JSONResponse({
            "status": "ok" if manifest else "no graph built",
            "store": str(cfg.store), "generation": store.current.name if store.current else None,
            "built_at": manifest.get("built_at"), "documents": counts.get("documents"), "triples": counts.get("triples"),
            "read_only": not cfg.writable, "service_allowed": cfg.allow_service,
            "timeout_seconds": cfg.timeout, "max_rows": cfg.max_rows, "workers": runner.workers, "max_memory_mb": cfg.max_memory or None,
        }, status_code=200 if manifest else 503)

    async def index(request):
        return JSONResponse({"sparql": str(request.url_for("sparql")), "health": str(request.url_for("health")),
                             "protocol": "https://www.w3.org/TR/sparql11-protocol/"})

    middleware = [
        Middleware(_SecurityHeaders),
        Middleware(_AccessLog),
        *([Middleware(guard.HostGuard, names=names)] if cfg.writable else []),
        Middleware(guard.Cors, private_network=not cfg.writable),
    ]
    routes = [Route("/sparql", sparql, methods=["GET", "POST"], name="sparql"),
              Route("/health", health, methods=["GET"], name="health"),
              Route("/", index, methods=["GET"])]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)


class _SecurityHeaders:
    """ASGI middleware: :data:`SECURITY_HEADERS` on every response, errors and CORS preflights included."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k.encode() not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _AccessLog:
    """ASGI middleware: one log line per request (client, method, path, status, form, size, time)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        t0 = time.perf_counter()
        status = [500]
        info = scope.setdefault("kg.log", {})

        async def send_status(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            log.info(_log_line(scope, status[0], info, time.perf_counter() - t0))


def _log_line(scope, status: int, info: dict[str, Any], seconds: float) -> str:
    client = scope.get("client") or ("-", 0)
    parts = [f'{client[0]} "{scope["method"]} {scope["path"]}" {status}']
    if "form" in info:
        parts.append(f"{info['form']} {info['count']}" if info.get("count") is not None else info["form"])
    parts.append(f"{seconds * 1000:.1f} ms")
    if info.get("query"):
        q = " ".join(info["query"].split())
        parts.append(f'q="{q[:80]}{"…" if len(q) > 80 else ""}"')
    if info.get("error"):
        parts.append(f'error="{" ".join(info["error"].split())[:160]}"')
    return " ".join(parts)


def _head_timeout_protocol(seconds: float):
    """uvicorn's h11 protocol with a deadline for each request head: a client that connects and
    sends nothing, or stalls inside its headers, gets 408 and is closed after ``seconds``
    (uvicorn itself only times out idle keep-alive connections, so such clients were held forever)."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeadTimeoutH11(H11Protocol):
        _head_timer = None

        def _arm(self) -> None:
            if self._head_timer is None:
                self._head_timer = self.loop.call_later(seconds, self._head_late)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def connection_lost(self, exc) -> None:
            self._disarm()
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.conn.their_state is h11.IDLE:  # a request head is still arriving
                self._arm()
            else:
                self._disarm()

        def _head_late(self) -> None:
            self._head_timer = None
            if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
                self.transport.write(b"HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\n\r\n")
                self.transport.close()

    return HeadTimeoutH11


def serve(store: Path | str, *, host: str = "127.0.0.1", port: int = 7878, timeout: float = sp.DEFAULT_TIMEOUT,
          max_rows: int = 100_000, workers: int = 2, writable: bool = False, allow_service: bool = False,
          max_memory: int | None = sp.DEFAULT_MAX_MEMORY, token: str | None = None, allowed_hosts: tuple[str, ...] = ()) -> None:
    """Run the endpoint until interrupted (Ctrl-C / SIGTERM); ``writable`` needs ``token`` (see :class:`ServerConfig`)."""
    import uvicorn

    cfg = ServerConfig(Path(store), timeout=timeout, max_rows=max_rows, workers=workers, writable=writable, allow_service=allow_service,
                       max_memory=max_memory, host=host, allowed_hosts=tuple(allowed_hosts), token=token)
    app = create_app(cfg)  # raises StoreMissing before anything listens
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    sock = _listen(host, port)  # before announcing anything: a busy port is one line, and --port 0 gets its real port
    log.info("SPARQL endpoint: http://%s:%d/sparql", host if ":" not in host else f"[{host}]", sock.getsockname()[1])
    if host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("listening on %s: anyone who can reach this machine can query the graph (the default is 127.0.0.1)", host)
    # a GET query travels in the URL: let a request head be as large as a POSTed query may be (uvicorn: 16 KB)
    # a request head must arrive within the timeout too (408), as a body must (see _read_body)
    config = uvicorn.Config(app, host=host, port=port, access_log=False, log_level="warning", lifespan="on", server_header=False,
                            h11_max_incomplete_event_size=cfg.max_query_bytes + 65536, http=_head_timeout_protocol(cfg.timeout or 30.0))  # --timeout 0: heads still within 30 s
    uvicorn.Server(config).run(sockets=[sock])


def _listen(host: str, port: int):
    """A listening socket on ``host:port`` (0: a free port), or one line saying why there is none."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as e:
        sock.close()
        why = "the port is already in use by another program" if e.errno == 98 else (e.strerror or str(e))
        raise KgError(f"cannot listen on {host}:{port}: {why}; choose another with --port (0: any free port)") from None
    return sock
