"""What a writable SPARQL endpoint checks so that the web pages its user visits cannot change the graph.

A page in the user's browser can send requests to 127.0.0.1: a form POST needs no CORS
preflight, and DNS rebinding points a name the attacker owns at 127.0.0.1 so that the page
becomes same-origin with the endpoint. So a writable endpoint

* answers only requests whose ``Host`` is a name it was started for (:class:`HostGuard`, 421);
* refuses an update whose ``Origin`` is foreign, or that a browser marks
  ``Sec-Fetch-Site: cross-site`` (403), and one without its token (401): :func:`check_write`;
* sends CORS headers on reads only, never lets a preflight allow ``Authorization``, and allows
  Private Network Access only on a read-only endpoint (:class:`Cors`).

Requests from scripts (no ``Origin``, no ``Sec-Fetch-Site``) need only the token.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

__all__ = [
    "LOOPBACK_NAMES",
    "MIN_TOKEN_LENGTH",
    "Refused",
    "host_name",
    "served_names",
    "shown_names",
    "check_write",
    "HostGuard",
    "Cors",
]

#: the names of this machine a writable endpoint always answers to (besides its --host and --allowed-host)
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
MIN_TOKEN_LENGTH = 16
_LABEL = r"[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?"
_NAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_HEADER_NAME = re.compile(r"[A-Za-z0-9-]+")


class Refused(Exception):
    """A request the endpoint refuses: HTTP ``status``, a one-line ``message``, extra response ``headers``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        self.status, self.message, self.headers = status, message, headers or {}
        super().__init__(message)


def host_name(value: str) -> str | None:
    """The name in a ``Host`` header (or a ``--allowed-host``) without its port: lower case, IPv6
    without brackets, no trailing dot; None when it is no host name.

    >>> host_name("LocalHost:7878"), host_name("[::1]:7878"), host_name("::1"), host_name("kg.lan."), host_name("a b")
    ('localhost', '::1', '::1', 'kg.lan', None)
    """
    v = value.strip().lower()
    if v.startswith("["):  # [IPv6] or [IPv6]:port
        name, _, rest = v[1:].partition("]")
        if rest and not (rest.startswith(":") and rest[1:].isdigit()):
            return None
    elif v.count(":") > 1:  # a bare IPv6 address (an --allowed-host; never a Host header)
        name = v
    else:
        name, sep, port = v.partition(":")
        if sep and not port.isdigit():
            return None
        name = name.rstrip(".")
    if ":" in name:
        try:
            return str(ipaddress.IPv6Address(name))
        except ValueError:
            return None
    return name if _NAME.fullmatch(name) else None


def served_names(host: str, allowed_hosts: Iterable[str] = ()) -> frozenset[str]:
    """The ``Host`` names an endpoint listening on ``host`` answers to: loopback, ``host``, ``allowed_hosts``."""
    names = {*LOOPBACK_NAMES, *allowed_hosts}
    if host not in ("0.0.0.0", "::", ""):  # every interface: no name of its own
        names.add(host)
    return frozenset(host_name(n) or n for n in names)


def shown_names(names: Iterable[str]) -> str:
    return ", ".join(sorted(f"[{n}]" if ":" in n else n for n in names))


def _shown(value: str, limit: int = 100) -> str:
    """A header value as a message may quote it: printable ASCII, at most ``limit`` characters."""
    return "".join(c if c.isascii() and c.isprintable() else "?" for c in value[:limit]) + (
        "…" if len(value) > limit else ""
    )


def _port(host: str) -> int | None:
    """The port in a ``Host`` header, None if it names none."""
    tail = host.rsplit("]", 1)[-1] if host.startswith("[") else host
    _, sep, port = tail.rpartition(":")
    return int(port) if sep and port.isdigit() else None


def _same_origin(origin: str, host: str) -> bool:
    """Whether ``Origin`` is the endpoint itself, as the request's (already checked) ``Host`` names it."""
    try:
        o = urlsplit(origin)
        o_port = o.port
    except ValueError:
        return False
    if o.scheme not in ("http", "https") or not o.hostname or o.path not in ("", "/"):
        return False
    default = 443 if o.scheme == "https" else 80
    return host_name(o.hostname) == host_name(host) and (o_port or default) == (_port(host) or default)


def check_write(headers: Mapping[str, str], token: str | None) -> None:
    """Raise :class:`Refused` unless an update with these (lower-case) request headers may change the graph."""
    if headers.get("sec-fetch-site", "").strip().lower() == "cross-site":
        raise Refused(403, "refused: a cross-site request may not change the graph (Sec-Fetch-Site: cross-site); "
                           "send updates from a script, or from a page of this endpoint's own origin")
    origin = headers.get("origin")
    if origin is not None and not _same_origin(origin, headers.get("host", "")):
        raise Refused(403, f"refused: an update from a foreign origin ({_shown(origin)}) may not change the graph; "
                           "send updates from a script, or from a page of this endpoint's own origin")
    scheme, _, sent = headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token or not hmac.compare_digest(sent.strip().encode(), token.encode()):
        raise Refused(
            401,
            "SPARQL Update needs this endpoint's token: send Authorization: Bearer <token> (kg serve --writable "
            "prints it on stderr at start, or takes it from --token / KG_SERVE_TOKEN)",
            {"WWW-Authenticate": "Bearer"},
        )


def _plain(status: int, message: str, headers: dict[str, str] | None = None):
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(message + "\n", status_code=status, headers=headers or None)


class HostGuard:
    """ASGI middleware of a writable endpoint: 421 for a ``Host`` that is not one of ``names``.

    A page served under a rebound name still sends that name in ``Host``. A request without
    ``Host`` (HTTP/1.0) comes from no browser and passes.
    """

    def __init__(self, app, names: frozenset[str]):
        self.app, self.names, self.shown = app, names, shown_names(names)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), None)
        if host is None or host_name(host) in self.names:
            return await self.app(scope, receive, send)
        message = (f"the Host {_shown(host)!r} is not a name this endpoint serves ({self.shown}): "
                   "start kg serve with --allowed-host NAME to serve another")
        scope.setdefault("kg.log", {})["error"] = message
        await _plain(421, message)(scope, receive, send)


class Cors:
    """ASGI middleware: CORS open to any origin, without credentials, for reads only.

    Preflights allow GET and POST with the headers asked for except ``Authorization`` and
    ``Cookie`` (no page may send the write token), and Private Network Access only when
    ``private_network`` (a read-only endpoint). Answers get ``Access-Control-Allow-Origin: *``
    unless the application marked the request as a write (``scope["kg.log"]["write"]``).
    """

    def __init__(self, app, private_network: bool):
        self.app, self.private_network = app, private_network

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if "origin" not in headers:
            return await self.app(scope, receive, send)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            asked = [h.strip() for h in headers.get("access-control-request-headers", "").split(",")]
            allowed = [h for h in asked if _HEADER_NAME.fullmatch(h) and h.lower() not in ("authorization", "cookie")]
            out = {
                "access-control-allow-origin": "*",
                "access-control-allow-methods": "GET, POST, OPTIONS",
                "access-control-max-age": "3600",
            }
            if allowed:
                out["access-control-allow-headers"] = ", ".join(allowed)
            if self.private_network and headers.get("access-control-request-private-network", "").lower() == "true":
                out["access-control-allow-private-network"] = "true"
            return await _plain(200, "OK", out)(scope, receive, send)
        info = scope.setdefault("kg.log", {})

        async def send_cors(message):
            if message["type"] == "http.response.start" and not info.get("write"):
                message = {**message, "headers": [*message.get("headers", []), (b"access-control-allow-origin", b"*")]}
            await send(message)

        await self.app(scope, receive, send_cors)
