"""Running the endpoint: a listening socket, uvicorn with a deadline on request heads, the log on stderr."""

from __future__ import annotations

import logging
from pathlib import Path

from kg import sparql as sp
from kg.errors import KgError
from kg.server.app import ServerConfig, create_app

__all__ = ["serve"]

log = logging.getLogger("kg.server")


def head_timeout_protocol(seconds: float):
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

        def connection_made(self, transport) -> None:
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
          max_memory: int | None = sp.DEFAULT_MAX_MEMORY, token: str | None = None,
          allowed_hosts: tuple[str, ...] = (), engine: str = "kg") -> None:
    """Run the endpoint until interrupted (Ctrl-C / SIGTERM); ``writable`` needs ``token`` (:class:`ServerConfig`).

    ``engine="oxigraph"``: Oxigraph's read-only server instead (:mod:`kg.server.oxigraph`), which takes
    only ``host``, ``port`` and ``timeout``.
    """
    import uvicorn

    if engine == "oxigraph":
        from kg.server.oxigraph import serve_oxigraph

        _log_to_stderr()
        return serve_oxigraph(store, host=host, port=port, timeout=timeout)
    cfg = ServerConfig(Path(store), timeout=timeout, max_rows=max_rows, workers=workers, writable=writable,
                       allow_service=allow_service,
                       max_memory=max_memory, host=host, allowed_hosts=tuple(allowed_hosts), token=token)
    app = create_app(cfg)  # raises StoreMissing before anything listens
    _log_to_stderr()
    sock = _listen(host, port)  # before announcing anything: a busy port is one line, and --port 0 gets its real port
    log.info("SPARQL endpoint: http://%s:%d/sparql", host if ":" not in host else f"[{host}]", sock.getsockname()[1])
    if host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("listening on %s: anyone who can reach this machine can query the graph (the default is 127.0.0.1)",
                    host)
    # a GET query travels in the URL: let a request head be as large as a POSTed query may be (uvicorn: 16 KB)
    # a request head must arrive within the timeout too (408), as a body must (see _read_body)
    # --timeout 0: heads still within 30 s
    protocol = head_timeout_protocol(cfg.timeout or 30.0)
    config = uvicorn.Config(app, host=host, port=port, access_log=False, log_level="warning", lifespan="on",
                            server_header=False, http=protocol,
                            h11_max_incomplete_event_size=cfg.max_query_bytes + 65536)
    uvicorn.Server(config).run(sockets=[sock])


def _log_to_stderr() -> None:
    """The server's lines (``kg.server``) on stderr, each with its time."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def _listen(host: str, port: int):
    """A listening socket on ``host:port`` (0: a free port), or one line saying why there is none."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio turns Nagle's algorithm off only on sockets that say TCP, and without that a
    # keep-alive client waited ~40 ms (its delayed ACK) for every answer written as head and body
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as e:
        sock.close()
        why = "the port is already in use by another program" if e.errno == 98 else (e.strerror or str(e))
        raise KgError(f"cannot listen on {host}:{port}: {why}; choose another with --port (0: any free port)") from None
    return sock
