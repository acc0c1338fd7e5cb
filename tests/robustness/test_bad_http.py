"""Bad HTTP at `kg serve`: huge, chunked, truncated, slow, malformed and misdirected requests.

Each gets its documented status (README, SPARQL section) and never a 500; the server's log
holds no traceback; a normal query is answered right after. Requests are written on raw
sockets so that nothing (no client library) tidies them up first. tests/test_server.py
covers the protocol itself, 403 for updates and SERVICE, 406, 415 for JSON, 422 and 503.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass

import pytest
from test_server import MEMBERS, http, running_server

from robustness.conftest import CRASH_MARKERS

pytestmark = pytest.mark.integration

TIMEOUT = 2  # the server's --timeout: queries, and request bodies, must arrive within it


@pytest.fixture(scope="module")
def server(guarded_store, tmp_path_factory):
    log = tmp_path_factory.mktemp("bad-http") / "serve.log"
    with running_server(guarded_store, log, "--timeout", str(TIMEOUT), "--max-rows", "1000") as url:
        yield url, int(urllib.parse.urlsplit(url).port), log


def raw(
    port: int, data: bytes, *, read_timeout: float = 15, then_wait: float = 0
) -> tuple[int | None, dict[str, str], bytes]:
    """Send ``data`` on a fresh connection; (status or None if the server closed first, headers, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as s:
        try:
            s.sendall(data)
        except OSError:  # the server answered and closed while we were still sending
            pass
        if then_wait:
            time.sleep(then_wait)
        out = b""
        try:
            while chunk := s.recv(65536):
                out += chunk
        except OSError:
            pass
    head, _, body = out.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not lines[0].startswith("HTTP/"):
        return None, {}, out
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


def request(
    method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b"", version: str = "HTTP/1.1"
) -> bytes:
    hdrs = {"Host": "127.0.0.1", "Connection": "close", **(headers or {})}
    if body and "Transfer-Encoding" not in hdrs and "Content-Length" not in hdrs:
        hdrs["Content-Length"] = str(len(body))
    return (
        f"{method} {path} {version}\r\n".encode()
        + "".join(f"{k}: {v}\r\n" for k, v in hdrs.items()).encode()
        + b"\r\n"
        + body
    )


def chunked(body: bytes, size: int = 65536) -> bytes:
    return (
        b"".join(b"%x\r\n%s\r\n" % (len(body[i : i + size]), body[i : i + size]) for i in range(0, len(body), size))
        + b"0\r\n\r\n"
    )


SQ = {"Content-Type": "application/sparql-query"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
BIG = 2_000_000  # twice the default limit of 1,000,000 bytes


@dataclass(frozen=True)
class Req:
    id: str
    data: bytes
    status: int | None  # None: the HTTP layer (uvicorn) rejects it before the application, with 400 or by closing
    expect: bytes = b""


CATALOGUE = [
    # size
    Req(
        "body-2MB-with-length",
        request("POST", "/sparql", SQ, b"ASK {}" + b" " * BIG),
        413,
        b"larger than 1,000,000 bytes",
    ),
    Req(
        "body-2MB-chunked",
        request("POST", "/sparql", {**SQ, "Transfer-Encoding": "chunked"}, chunked(b"ASK {}" + b" " * BIG)),
        413,
        b"larger than 1,000,000 bytes",
    ),
    Req(
        "form-2MB-chunked",
        request("POST", "/sparql", {**FORM, "Transfer-Encoding": "chunked"}, chunked(b"query=" + b"A" * BIG)),
        413,
        b"larger than 1,000,000 bytes",
    ),
    Req(
        "form-many-small-fields-chunked",
        request(
            "POST",
            "/sparql",
            {**FORM, "Transfer-Encoding": "chunked"},
            chunked(b"&".join([b"x=1"] * 500_000) + b"&query=ASK{}"),
        ),
        413,
    ),
    Req(
        "declares-10GB-sends-nothing",
        request("POST", "/sparql", {**SQ, "Content-Length": str(10 * 2**30)}),
        413,
        b"larger than 1,000,000 bytes",
    ),
    Req(
        "get-url-100KB",
        request("GET", "/sparql?query=" + urllib.parse.quote("ASK {}" + "#" * 100_000)),
        200,
        b'"boolean":true',
    ),
    Req("get-url-2MB", request("GET", "/sparql?query=" + "A" * BIG), None),
    Req("header-200KB", request("GET", "/sparql?query=ASK%7B%7D", {"X-Big": "a" * 200_000}), 200, b'"boolean":true'),
    Req("header-2MB", request("GET", "/sparql?query=ASK%7B%7D", {"X-Big": "a" * BIG}), None),
    Req(
        "thousand-headers",
        request("GET", "/sparql?query=ASK%7B%7D", {f"X-H{i}": "v" for i in range(1000)}),
        200,
        b'"boolean":true',
    ),
    # framing
    Req("content-length-not-a-number", request("POST", "/sparql", {**SQ, "Content-Length": "abc"}, b"ASK {}"), None),
    Req("content-length-negative", request("POST", "/sparql", {**SQ, "Content-Length": "-5"}, b"ASK {}"), None),
    Req(
        "chunk-size-garbage",
        request("POST", "/sparql", {**SQ, "Transfer-Encoding": "chunked"}, b"zz\r\nASK {}\r\n0\r\n\r\n"),
        None,
    ),
    Req("garbage-request-line", b"HELLO WORLD\r\n\r\n", None),
    Req("http-1.0-without-host", b"GET /sparql?query=ASK%7B%7D HTTP/1.0\r\n\r\n", 200, b'"boolean":true'),
    # methods and paths
    Req("put", request("PUT", "/sparql", SQ, b"ASK {}"), 405),
    Req("delete", request("DELETE", "/sparql"), 405),
    Req("patch", request("PATCH", "/sparql", SQ, b"ASK {}"), 405),
    Req("trace", request("TRACE", "/sparql"), 405),
    Req("post-health", request("POST", "/health", SQ, b"ASK {}"), 405),
    Req("unknown-path", request("GET", "/admin"), 404),
    Req("path-traversal", request("GET", "/../../etc/passwd"), 404),
    Req("encoded-path-traversal", request("GET", "/%2e%2e/%2e%2e/etc/passwd"), 404),
    # content types and encodings
    Req("content-type-text-plain", request("POST", "/sparql", {"Content-Type": "text/plain"}, b"ASK {}"), 415),
    Req(
        "content-type-multipart",
        request(
            "POST",
            "/sparql",
            {"Content-Type": "multipart/form-data; boundary=x"},
            b'--x\r\nContent-Disposition: form-data; name="query"\r\n\r\nASK {}\r\n--x--\r\n',
        ),
        415,
    ),
    Req("content-type-missing", request("POST", "/sparql", {}, b"ASK {}"), 415),
    Req("content-type-xml", request("POST", "/sparql", {"Content-Type": "application/xml"}, b"<q>ASK {}</q>"), 415),
    Req("form-without-query", request("POST", "/sparql", FORM, b"format=json"), 400, b"the form has no 'query' field"),
    Req("body-not-utf8", request("POST", "/sparql", SQ, b'ASK { ?s ?p "\xff\xfe" }'), 400, b"the request is not UTF-8"),
    Req(
        "form-not-utf8",
        request("POST", "/sparql", FORM, b"query=ASK+%7B+%3Fs+%3Fp+%22%FF%22+%7D"),
        400,
        b"the request is not UTF-8",
    ),
    Req(
        "url-not-utf8",
        request("GET", "/sparql?query=ASK+%7B+%3Fs+%3Fp+%22%FF%22+%7D"),
        400,
        b"the request is not UTF-8",
    ),
    Req("url-bad-percent-escape", request("GET", "/sparql?query=ASK%G1%7B%7D"), 400, b"line 1, column"),
    Req(
        "accept-garbage",
        request("GET", "/sparql?query=ASK%7B%7D", {"Accept": ",,;;;q=abc, */*;q=x"}),
        406,
        b"acceptable: application/sparql-results+json",
    ),
    Req(
        "unsupported-function",
        request("GET", "/sparql?query=" + urllib.parse.quote("SELECT (<urn:f>(1) AS ?x) {}")),
        400,
        b"custom function <urn:f> is not supported",
    ),
    Req(
        "nested-20000-deep",
        request("POST", "/sparql", SQ, b"ASK { FILTER(" + b"(" * 20000 + b"1" + b")" * 20000 + b") }"),
        400,
        b"nests brackets more than 500 deep",
    ),
    Req(
        "default-graph-not-an-iri",
        request("GET", "/sparql?query=ASK%7B%7D&default-graph-uri=not%20an%20iri"),
        400,
        b"not an IRI",
    ),
    Req("named-graph-not-an-iri", request("GET", "/sparql?query=ASK%7B%7D&named-graph-uri=%3C%3E"), 400, b"not an IRI"),
    Req("query-given-twice", request("GET", "/sparql?query=ASK%7B%7D&query=DROP%20ALL"), 200, b'"boolean":true'),
    Req(
        "update-and-query-in-a-form",
        request("POST", "/sparql", FORM, b"query=ASK%7B%7D&update=DROP+ALL"),
        403,
        b"read-only",
    ),
]


def _still_answers(url: str) -> None:
    status, _, body = http(url, params={"query": MEMBERS})
    assert status == 200 and "青海塞奇食品有限公司" in body


def _log_clean(log) -> None:
    text = log.read_text(encoding="utf-8")
    assert not any(m in text for m in (*CRASH_MARKERS, "Exception in ASGI application")), text[-3000:]


@pytest.mark.parametrize("case", CATALOGUE, ids=[c.id for c in CATALOGUE])
def test_bad_requests(case: Req, server, unchanged):
    url, port, log = server
    status, headers, body = raw(port, case.data)
    if case.status is None:
        assert status in (None, 400), (status, body[:300])
    else:
        assert status == case.status, (status, body[:300])
        assert case.expect in body, body[:300]
        assert (
            headers["content-security-policy"].startswith("default-src 'none'")
            and headers["x-content-type-options"] == "nosniff"
        )
    _still_answers(url)
    _log_clean(log)


def test_slow_body_gets_408(server):
    """A client that declares a body and stalls is answered 408 once the timeout has passed."""
    url, port, log = server
    data = request("POST", "/sparql", {**SQ, "Content-Length": "100"}) + b"ASK"
    t0 = time.monotonic()
    status, _, body = raw(port, data, read_timeout=TIMEOUT * 10)
    assert status == 408 and b"did not arrive within 2 s" in body
    assert time.monotonic() - t0 < TIMEOUT * 10
    _still_answers(url)
    _log_clean(log)


@pytest.mark.parametrize(
    "sent", [b"", b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nX-Slow: "], ids=["nothing", "half-a-head"]
)
def test_a_stalled_request_head_gets_408_and_the_connection_closes(server, sent):
    """A client that connects and sends nothing, or stalls inside its headers, is closed once the timeout has passed."""
    url, port, log = server
    t0 = time.monotonic()
    status, _, _ = raw(port, sent, read_timeout=TIMEOUT * 10)
    took = time.monotonic() - t0
    assert status == 408 and TIMEOUT * 0.9 <= took < TIMEOUT * 5, took
    _still_answers(url)
    _log_clean(log)


def test_stalled_and_vanishing_clients_do_not_stop_the_others(server):
    """Fifty clients hold half-sent headers, five vanish mid-body, five never read a big answer: others are answered."""
    url, port, log = server
    held = []
    for i in range(50):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nX-Slow-" + str(i).encode() + b": ")
        held.append(s)
    try:
        for _ in range(5):
            with socket.create_connection(("127.0.0.1", port)) as s:
                s.sendall(request("POST", "/sparql", {**SQ, "Content-Length": "1000"}) + b"SELECT")
        big = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o } LIMIT 1000")
        for _ in range(5):
            with socket.create_connection(("127.0.0.1", port)) as s:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
                s.sendall(request("GET", f"/sparql?query={big}", {"Accept": "text/csv"}))
        _still_answers(url)
        results: list[int] = []
        threads = [
            threading.Thread(target=lambda: results.append(http(url, params={"query": MEMBERS})[0])) for _ in range(20)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(results) == 20 and set(results) <= {200, 503} and results.count(200) >= 2  # 503: both workers busy
    finally:
        for s in held:
            s.close()
    _still_answers(url)
    _log_clean(log)


def test_the_catalogue_has_one_test_per_input():
    assert len({c.id for c in CATALOGUE}) == len(CATALOGUE) >= 30
