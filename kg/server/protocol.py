"""The SPARQL 1.1 Protocol side of a request: its operation, its body within limits, the answer's format."""

from __future__ import annotations

from typing import Any

from kg.server.security import Refused

__all__ = ["SOLUTION_MEDIA", "GRAPH_MEDIA", "Refusal", "negotiate", "operation", "plain"]

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
                 "json-ld": "jsonld", "jsonld": "jsonld", "nt": "nt", "ntriples": "nt", "rdf+xml": "rdfxml",
                 "rdfxml": "rdfxml"}


class Refusal(Refused):
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


async def operation(request, cfg: Any) -> tuple[str, str, Any]:
    """(``query`` or ``update``, its text, the parameters) of a request, by the SPARQL Protocol."""
    params = request.query_params
    _form(request.scope.get("query_string", b""))  # refuses percent-escapes that are not UTF-8
    if request.method == "GET":
        if "update" in params:
            if not cfg.writable:
                raise Refusal(403, "SPARQL Update is refused: this endpoint is read-only")
            raise Refusal(405, "send SPARQL Update with POST")
        text = _first(params, "query")
        if text is None:
            raise Refusal(400, "missing query: use GET /sparql?query=… or POST "
                               "(see https://www.w3.org/TR/sparql11-protocol/)")
        return "query", text, params
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/x-www-form-urlencoded":
        form = _form(await _body(request, cfg))
        if "update" in form:
            return "update", form["update"], form
        if "query" not in form:
            raise Refusal(400, "missing query: the form has no 'query' field")
        return "query", form["query"], form
    if ctype in ("application/sparql-query", "application/sparql-update"):
        body = await _body(request, cfg)
        return ("update" if ctype.endswith("update") else "query"), _utf8(body), params
    raise Refusal(415, "POST a query as application/x-www-form-urlencoded (query=…) or application/sparql-query")


async def _body(request, cfg: Any) -> bytes:
    """The request body: refused past ``max_query_bytes`` (413, chunked or not) or when it is still
    arriving after the query timeout (408, a slow or stalled client)."""
    from anyio import fail_after
    from starlette.requests import ClientDisconnect

    too_big = Refusal(413, f"the request is larger than {cfg.max_query_bytes:,} bytes")
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
        raise Refusal(408, f"the request body did not arrive within {cfg.timeout:g} s") from None
    except ClientDisconnect:
        raise Refusal(400, "the client went away before its request arrived") from None
    return b"".join(chunks)


def _form(data: bytes):
    """``name=value&…`` (a form body or a query string) as FormData; 400 unless it is UTF-8 throughout."""
    from urllib.parse import parse_qsl

    from starlette.datastructures import FormData

    try:
        pairs: list[Any] = parse_qsl(_utf8(data), keep_blank_values=True, errors="strict")
        return FormData(pairs)
    except UnicodeDecodeError as e:
        raise Refusal(400, f"the request is not UTF-8 ({e.reason}); the SPARQL protocol sends UTF-8") from None


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Refusal(400, f"the request is not UTF-8 ({e.reason} at byte {e.start}); "
                           "the SPARQL protocol sends UTF-8") from None



def plain(status: int, message: str, headers: dict[str, str] | None = None):
    """A one-line text answer."""
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(message + "\n", status_code=status, headers=headers or None)
