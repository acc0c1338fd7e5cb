"""HTTP to a SPARQL server (Graph Store Protocol and SPARQL protocol) through httpx.

One :class:`HttpClient` per command: Basic or Digest authentication (``auth="auto"`` sends
Basic and, when the server answers 401 with a Digest challenge — Virtuoso's
``/sparql-graph-crud-auth`` does — switches to Digest for the rest of the session),
timeouts, a few retries with backoff on connection errors and 5xx answers. A failure is
one :class:`~kg.errors.KgError` line: the method, the URL without its query string, the
status and the first informative line of the server's answer (HTML pages are reduced to
their text). The password is never part of a message.
"""

from __future__ import annotations

import html
import re
import time
import urllib.parse
from collections.abc import Generator
from typing import Any

from kg.errors import KgError

__all__ = ["HttpClient", "AUTH_CHOICES", "check_url", "first_line"]

AUTH_CHOICES = ("auto", "basic", "digest")
_RETRY_STATUS = frozenset({500, 502, 503, 504})


def check_url(url: str, what: str = "a Graph Store endpoint (e.g. http://127.0.0.1:7878/store)") -> str:
    """``url`` if it is an absolute http(s) URL, else :class:`KgError` naming what was expected."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise KgError(f"{url!r} is not an http(s) URL of {what}")
    return url


def _bare(url: str) -> str:
    """The URL as messages show it: no query string, no credentials."""
    p = urllib.parse.urlsplit(url)
    host = p.netloc.rsplit("@", 1)[-1]
    return urllib.parse.urlunsplit((p.scheme, host, p.path, "", ""))


_PRE = re.compile(r"<(xmp|pre)[^>]*>(.*?)</\1>", re.S | re.I)
_TAGS = re.compile(r"<[^>]+>")


def first_line(body: bytes, limit: int = 200) -> str:
    """The first informative line of a server's answer; of an HTML page, its ``<pre>``/``<xmp>`` text or its text.

    >>> first_line(b'<html><title>Failed</title><h1>HTTP/1.1 403 Forbidden</h1>'
    ...            b'<xmp>SQ110: Permission denied</xmp></html>')
    'SQ110: Permission denied'
    >>> first_line(b"Parser error: unexpected end\\nat line 3")
    'Parser error: unexpected end'
    """
    text = body.decode("utf-8", "replace")
    if re.search(r"<(html|body|!doctype)\b", text[:500], re.I):
        pre = _PRE.search(text)
        text = html.unescape(
            pre.group(2)
            if pre
            else _TAGS.sub("\n", re.sub(r"<(title|head|style|script)[^>]*>.*?</\1>", "", text, flags=re.S | re.I))
        )
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line[:limit] + ("…" if len(line) > limit else "")
    return ""


def _auto_auth(user: str, password: str):
    """Basic on every request; from the first 401 that asks for Digest on, Digest (two extra round trips, once)."""
    import base64

    import httpx

    basic = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    class AutoAuth(httpx.Auth):
        def __init__(self) -> None:
            self.digest = httpx.DigestAuth(user, password)
            self.use_digest = False

        def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
            if self.use_digest:
                yield from self.digest.auth_flow(request)
                return
            request.headers["Authorization"] = basic
            response = yield request
            if response.status_code != 401 or "basic" in response.headers.get("www-authenticate", "").lower():
                return
            # Virtuoso answers Basic with a bare 401; the challenge comes with a request without credentials
            del request.headers["Authorization"]
            response = yield request
            if response.status_code == 401 and "digest" in response.headers.get("www-authenticate", "").lower():
                self.use_digest = True
                yield from self.digest.auth_flow(request)

    return AutoAuth()


class HttpClient:
    """An httpx client for one server: auth, timeouts, retries, one-line errors."""

    def __init__(
        self,
        *,
        user: str | None = None,
        password: str | None = None,
        auth: str = "auto",
        timeout: float = 300.0,
        retries: int = 3,
        backoff: float = 0.25,
    ):
        import httpx

        if auth not in AUTH_CHOICES:
            raise KgError(f"unknown --auth {auth!r}; use one of {', '.join(AUTH_CHOICES)}")
        self.retries, self.backoff, self.timeout = retries, backoff, timeout
        self.user, self.auth = user, auth
        how: Any = None
        if user:
            pw = password or ""
            how = {
                "basic": lambda: httpx.BasicAuth(user, pw),
                "digest": lambda: httpx.DigestAuth(user, pw),
                "auto": lambda: _auto_auth(user, pw),
            }[auth]()
        self.client = httpx.Client(
            auth=how, timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)), follow_redirects=True
        )

    def request(
        self,
        method: str,
        url: str,
        *,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        data: dict[str, str] | None = None,
        ok: tuple[int, ...] = (),
    ) -> Any:
        """The response to ``method url``; :class:`KgError` (one line) on a connection failure or an error status
        not in ``ok``. Connection errors and 5xx answers are retried ``retries`` times with doubling waits."""
        import httpx

        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                r = self.client.request(method, url, content=content, data=data, headers=headers)
            except httpx.TimeoutException:
                raise KgError(f"{method} {_bare(url)}: no answer within {self.timeout:g} s (--timeout)") from None
            except httpx.TransportError as e:  # refused, reset, closed mid-answer: worth another try
                if last:
                    reason = str(e) or type(e).__name__
                    raise KgError(f"cannot reach the SPARQL server at {_bare(url)}: {reason}") from None
            else:
                if r.status_code < 400 or r.status_code in ok:
                    return r
                if r.status_code not in _RETRY_STATUS or last:
                    raise KgError(self.describe(method, url, r))
            time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")

    def describe(self, method: str, url: str, r: Any) -> str:
        """One line for a failed request: method, URL, status, the first line of the answer, and a hint for 401/403."""
        line = first_line(r.content)
        msg = f"{method} {_bare(url)} failed: HTTP {r.status_code} {r.reason_phrase}" + (f": {line}" if line else "")
        if r.status_code == 401 and not self.user:
            msg += " (the server wants a user: --user NAME, password in KG_SPARQL_PASSWORD)"
        elif r.status_code == 401:
            msg += " (wrong --user or KG_SPARQL_PASSWORD" + (
                ", or the endpoint wants --auth digest)" if self.auth == "basic" else ")"
            )
        elif r.status_code == 403:
            msg += " (this account may not do that: docs/how-to/servers.md says what to grant)"
        return msg

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
