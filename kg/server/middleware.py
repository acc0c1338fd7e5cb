"""ASGI middleware every answer passes: security headers, and one log line per request."""

from __future__ import annotations

import logging
import time
from typing import Any

__all__ = ["SECURITY_HEADERS", "SecurityHeaders", "AccessLog", "log_line"]

log = logging.getLogger("kg.server")

#: sent with every response: nothing served here may load, run or be framed, whatever its type
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


class SecurityHeaders:
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


class AccessLog:
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
            log.info(log_line(scope, status[0], info, time.perf_counter() - t0))


def log_line(scope, status: int, info: dict[str, Any], seconds: float) -> str:
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
