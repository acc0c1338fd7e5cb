"""The Starlette application: the SPARQL protocol at ``/sparql``, the service description, health, the query page."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from kg import sparql as sp
from kg.errors import KgError
from kg.server import description, page
from kg.server import security as guard
from kg.server.middleware import AccessLog, SecurityHeaders
from kg.server.protocol import GRAPH_MEDIA, SOLUTION_MEDIA, Refusal, negotiate, operation, plain
from kg.stores.embedded import StoreDir

__all__ = ["ServerConfig", "create_app", "STATUS"]

log = logging.getLogger("kg.server")

#: the HTTP status of each way a query can fail
STATUS = {sp.QuerySyntaxError: 400, sp.QueryFailed: 400, sp.QueryRefused: 403, sp.QueryTimeout: 503, sp.Busy: 503,
          sp.ResultTooLarge: 422, sp.WorkerDied: 500, sp.MemoryLimit: 503}


@dataclass
class ServerConfig:
    """How the endpoint runs: store, limits, and what it permits.

    A writable endpoint needs ``token`` (what updates must send as ``Authorization: Bearer``),
    and answers only requests whose ``Host`` is a loopback name, ``host`` or one of
    ``allowed_hosts`` (:mod:`kg.server.security`).
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


async def _in_thread(fn, *args):
    from anyio import to_thread

    return await to_thread.run_sync(fn, *args)


class _Handlers:
    """The application's routes over one configuration and one pool of query workers."""

    def __init__(self, cfg: ServerConfig, runner: sp.QueryRunner):
        self.cfg, self.runner = cfg, runner

    async def sparql(self, request):
        info = request.scope.setdefault("kg.log", {})
        try:
            if request.method == "GET" and not {"query", "update"} & set(request.query_params):
                return await self.description(request, info)
            op, text, params = await operation(request, self.cfg)
            info["query"] = text
            if op == "update":
                info["write"] = True  # no CORS headers on its answer
                if self.cfg.writable:
                    guard.check_write(request.headers, self.cfg.token)
            q = sp.check(text, allow_update=True, allow_service=self.cfg.allow_service)
            if "UPDATE" in (q.form, op.upper()):
                return await self.update(op, q, text, info)
            return await self.query(request, q, params, info)
        except guard.Refused as e:
            info["error"] = e.message
            return plain(e.status, e.message, e.headers)
        except sp.SparqlError as e:
            info["error"] = str(e)
            return plain(STATUS.get(type(e), 500), str(e))

    async def update(self, op: str, q: sp.Query, text: str, info: dict):
        from starlette.responses import Response

        info["write"] = True
        if not self.cfg.writable:
            raise Refusal(403, "SPARQL Update is refused: this endpoint is read-only "
                               "(kg serve --writable accepts updates)")
        if op != "update" or q.form in sp.QUERY_FORMS:
            raise Refusal(400, "send SPARQL Update as update=… or application/sparql-update, "
                               "and queries as query=…")
        await _in_thread(self.runner.run, sp.Request(text, "update", "UPDATE"))
        info.update(form="UPDATE")
        return Response(status_code=204)

    async def query(self, request, q: sp.Query, params, info: dict):
        from starlette.responses import Response

        offers = GRAPH_MEDIA if q.returns_graph else SOLUTION_MEDIA
        fmt = negotiate(request.headers.get("accept"), offers, params.getlist("format") + params.getlist("output"))
        if fmt is None:
            accept = request.headers.get("accept")
            raise Refusal(406, f"cannot answer a {q.form or 'query'} in {accept}; acceptable: {', '.join(offers)}")
        req = sp.Request(q.text, fmt, q.form, default_graphs=tuple(params.getlist("default-graph-uri")),
                         named_graphs=tuple(params.getlist("named-graph-uri")), max_rows=self.cfg.max_rows)
        res = await _in_thread(self.runner.run, req)
        count = f"{res.count} {'triples' if q.returns_graph else 'rows'}"
        info.update(form=res.form, count=str(res.boolean).lower() if res.boolean is not None else count)
        return Response(res.body, media_type=res.media_type, headers={"Vary": "Accept"})

    async def description(self, request, info: dict):
        """The SPARQL 1.1 Service Description (``GET /sparql`` without a query), negotiated like a graph."""
        from starlette.responses import Response

        params = request.query_params
        fmt = negotiate(request.headers.get("accept"), GRAPH_MEDIA, params.getlist("format") + params.getlist("output"))
        if fmt is None:
            raise Refusal(406, f"the service description is a graph; acceptable: {', '.join(GRAPH_MEDIA)}")
        cfg = self.cfg
        described = description.Described(str(request.url_for("sparql")), cfg.writable, cfg.allow_service,
                                          cfg.timeout, cfg.max_rows)
        graphs = await _in_thread(description.named_graphs, self.runner)
        info.update(form="description", count=f"{len(graphs)} named graphs")
        body = description.describe(described, graphs, fmt)
        return Response(body, media_type=sp.GRAPH_FORMATS[fmt], headers={"Vary": "Accept"})

    async def health(self, request):
        from starlette.responses import JSONResponse

        cfg, store = self.cfg, StoreDir(self.cfg.store)
        manifest = store.manifest() or {}
        counts = manifest.get("counts", {})
        return JSONResponse({
            "status": "ok" if manifest else "no graph built",
            "store": str(cfg.store), "generation": store.current.name if store.current else None,
            "built_at": manifest.get("built_at"), "documents": counts.get("documents"),
            "triples": counts.get("triples"),
            "read_only": not cfg.writable, "service_allowed": cfg.allow_service,
            "timeout_seconds": cfg.timeout, "max_rows": cfg.max_rows, "workers": self.runner.workers,
            "max_memory_mb": cfg.max_memory or None,
        }, status_code=200 if manifest else 503)

    async def index(self, request):
        """The query page for a browser; the endpoint's addresses as JSON for a client that asks for JSON."""
        from starlette.responses import JSONResponse

        if negotiate(request.headers.get("accept"), {"text/html": "html", "application/json": "json"}) == "json":
            return JSONResponse({"sparql": str(request.url_for("sparql")), "health": str(request.url_for("health")),
                                 "protocol": "https://www.w3.org/TR/sparql11-protocol/"})
        return self.page_file(request, "")

    async def asset(self, request):
        name = request.path_params["name"]
        if name == "config.json":
            from starlette.responses import JSONResponse

            cfg = self.cfg
            return JSONResponse(page.page_config(cfg.writable, cfg.max_rows, cfg.timeout))
        return self.page_file(request, name)

    def page_file(self, request, name: str):
        from starlette.responses import Response

        found = page.asset(name)
        if found is None:
            return plain(404, f"no page file {name!r}")
        body, media_type = found
        headers = {"content-security-policy": page.PAGE_CSP} if name == "" else {}
        return Response(body, media_type=media_type, headers={**headers, "Cache-Control": "no-cache"})


def _check(cfg: ServerConfig) -> frozenset[str]:
    """The host names served; a :class:`KgError` for a configuration that cannot run safely."""
    if cfg.writable and (not cfg.token or len(cfg.token) < guard.MIN_TOKEN_LENGTH):
        raise KgError(f"a writable endpoint needs a token of at least {guard.MIN_TOKEN_LENGTH} characters for updates")
    for name in cfg.allowed_hosts:
        if guard.host_name(name) is None:
            raise KgError(f"{name!r} is not a host name "
                          "(an allowed host is a name or an IP address, without scheme or path)")
    return guard.served_names(cfg.host, cfg.allowed_hosts)


def _lifespan(cfg: ServerConfig, runner: sp.QueryRunner, names: frozenset[str]):
    @contextlib.asynccontextmanager
    async def lifespan(app):
        await _in_thread(runner.start)
        mode = ("WRITABLE (updates need the token and change the current build in place; kg build restores the facts)"
                if cfg.writable else "read-only")
        memory = f"{cfg.max_memory:,} MB" if cfg.max_memory else "no memory limit"
        log.info("serving %s (%s), timeout %g s, at most %s rows, %d worker(s), %s each", cfg.store, mode, cfg.timeout,
                 f"{cfg.max_rows:,}", runner.workers, memory)
        if cfg.writable:
            log.info("answering requests for the hosts %s only (--allowed-host adds one)", guard.shown_names(names))
        try:
            yield
        finally:
            await _in_thread(runner.close)

    return lifespan


def create_app(cfg: ServerConfig, runner: sp.QueryRunner | None = None):
    """The Starlette application; ``runner`` defaults to a :class:`~kg.sparql.QueryRunner` on ``cfg.store``."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Route

    names = _check(cfg)
    runner = runner or sp.QueryRunner(cfg.store, workers=cfg.workers, timeout=cfg.timeout, writable=cfg.writable,
                                      max_memory=cfg.max_memory)
    h = _Handlers(cfg, runner)
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(AccessLog),
        *([Middleware(guard.HostGuard, names=names)] if cfg.writable else []),
        Middleware(guard.Cors, private_network=not cfg.writable),
    ]
    routes = [Route("/sparql", h.sparql, methods=["GET", "POST"], name="sparql"),
              Route("/health", h.health, methods=["GET"], name="health"),
              Route("/", h.index, methods=["GET"]),
              Route("/page/{name}", h.asset, methods=["GET"])]
    return Starlette(routes=routes, middleware=middleware, lifespan=_lifespan(cfg, runner, names))
