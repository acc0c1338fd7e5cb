"""FalkorDB's adapter: its native client (Redis protocol) and the workarounds its own Bolt port needs.

Nothing here reaches Neo4j: the Bolt transport calls these only when ``falkordb_bolt`` is true
(FalkorDB's experimental Bolt endpoint, not our Bolt server in front of FalkorDB).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from typing import Any
from urllib.parse import urlparse

from kg.errors import KgError
from kg.stores.bolt.config import BoltConfig, describe, errors
from kg.stores.bolt.engines import ENGINES

__all__ = ["NativeTransport", "bolt_params", "drop_connections", "explain_failure", "cypher_literal"]


def cypher_literal(v: Any) -> str:
    r"""``v`` as a literal of the CYPHER parameter header, as the falkordb client writes it, without its
    per-value type dispatch (which took half the client's time of a bulk load).

    >>> print(cypher_literal({"iri": 'a"b', "n": [1, 2.5, True, None], "ex:k@en": "x"}))
    {`iri`:"a\"b",`n`:[1,2.5,true,null],`ex:k@en`:"x"}
    """
    t = type(v)
    if t is str:
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if t is dict:
        if any("`" in k or not k for k in v):
            raise KgError(f"a property key cannot be empty or hold a backtick: {sorted(v)!r}")
        return "{" + ",".join(f"`{k}`:{cypher_literal(x)}" for k, x in v.items()) + "}"
    if t is list or t is tuple:
        return "[" + ",".join(map(cypher_literal, v)) + "]"
    if v is None:
        return "null"
    if t is bool:
        return "true" if v else "false"
    return repr(v)


class NativeTransport:
    """FalkorDB's own client (Redis protocol) for the local server; graph 'falkordb' like its Bolt port."""

    name = "native"
    GRAPH = "falkordb"
    falkordb_bolt = False

    def __init__(self, cfg: BoltConfig):
        from falkordb import FalkorDB

        if not cfg.native_port:
            raise KgError("the native transport needs the local FalkorDB server: run `kg graphdb start`")
        self.cfg = cfg
        with errors(cfg):
            host = urlparse(cfg.uri).hostname or "127.0.0.1"
            self.graph = FalkorDB(host=host, port=cfg.native_port, password=cfg.password).select_graph(self.GRAPH)
            self.graph.query("RETURN 1")

    @staticmethod
    def _rows(res) -> list[dict[str, Any]]:
        names = [h[1] for h in res.header]
        return [dict(zip(names, (dict(v) if hasattr(v, "items") else v for v in row))) for row in res.result_set]

    def read(self, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        with errors(self.cfg):
            return self._rows(self.graph.ro_query(cypher, params))

    def write(self, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        with errors(self.cfg):
            return self._rows(self.graph.query(cypher, params))

    def wipe(self) -> None:
        """Delete the whole graph at once (GRAPH.DELETE: milliseconds where DETACH DELETE took a minute at 150k
        nodes); its indexes go with it and the load creates them again."""
        with errors(self.cfg):
            try:
                self.graph.delete()
            except Exception as e:  # noqa: BLE001 - a graph that does not exist is already wiped
                if "empty key" not in str(e).lower():
                    raise

    def write_batches(self, cypher: str, batches: Iterable[list[dict[str, Any]]]) -> Iterator[int]:
        """Write ``UNWIND $rows`` batches, encoding the next one while the server runs the last; yields each size."""
        from concurrent.futures import ThreadPoolExecutor

        with errors(self.cfg), ThreadPoolExecutor(1) as ex:
            pending: tuple[Future, int] | None = None
            for b in batches:
                text = f"CYPHER rows={cypher_literal(b)} {cypher}"
                if pending:
                    pending[0].result()
                    yield pending[1]
                pending = (ex.submit(self.graph.query, text), len(b))
            if pending:
                pending[0].result()
                yield pending[1]

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.graph.client.close()


def _escape(value: Any) -> Any:
    """Escape strings the way FalkorDB's Bolt port needs.

    FalkorDB 4.16 turns Bolt parameters into single-quoted literals in the query text
    without escaping them: a value holding ' broke the query (and could inject Cypher),
    and a backslash was read as an escape. Escaping \\ and ' here makes every value arrive as sent.
    """
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("'", "\\'")
    if isinstance(value, list):
        return [_escape(v) for v in value]
    if isinstance(value, dict):
        return {k: _escape(v) for k, v in value.items()}
    return value


def bolt_params(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as FalkorDB's Bolt port needs them: escaped, and refused above the size that crashes it."""
    escaped = _escape(params)
    cap = ENGINES["falkordb"].max_param_bytes
    size = len(json.dumps(escaped, ensure_ascii=False).encode("utf-8"))
    if cap is not None and size > cap:
        raise KgError(
            f"the query's parameters take {size:,} bytes; FalkorDB's Bolt port crashes on more than about 4 KB, "
            f"so at most {cap:,} are sent: use --transport native (the local server) or smaller values"
        )
    return escaped


def drop_connections(driver) -> None:
    """Close pooled connections without Bolt GOODBYE.

    FalkorDB 4.16's Bolt endpoint hangs the *next* client's connection after a GOODBYE
    (measured: every second `kg` process stalled until its timeout); closing the socket
    without it, as a killed process does, leaves the server healthy.
    """
    pool = getattr(driver, "_pool", None)
    for conns in list(getattr(pool, "connections", {}).values()):
        for c in list(conns):
            with contextlib.suppress(Exception):
                c.kill()


def explain_failure(cfg: BoltConfig, text: str) -> None:
    """FalkorDB's Bolt port reports every error as 'unknown': ask its native port's parser why (raises KgError)."""
    if not cfg.native_port:
        return
    native = NativeTransport(cfg)
    try:
        native.graph.explain(text)
    except Exception as e:  # noqa: BLE001 - the parser's message is what we want
        raise KgError(describe(e, cfg)) from None
    finally:
        native.close()
