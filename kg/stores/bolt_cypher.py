"""The FalkorDB side of the local Bolt server: a statement run by FalkorDB's client, its errors as Neo4j statuses.

EXPLAIN only plans (never runs); parameters go in a CYPHER header, as the falkordb client writes them.
"""

from __future__ import annotations

import re
import time
from typing import Any

from kg.stores.bolt.falkordb import cypher_literal
from kg.stores.packstream import Structure, from_falkordb

__all__ = ["BoltFailure", "Result", "classify", "is_explain", "check_params", "execute", "GRAPH"]

GRAPH = "falkordb"
_LITERALS = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)
_LEAD = re.compile(r"\A(?:\s+|//[^\n]*|/\*.*?\*/)*", re.S)
_STATS = {
    "nodes_created": "nodes-created",
    "nodes_deleted": "nodes-deleted",
    "relationships_created": "relationships-created",
    "relationships_deleted": "relationships-deleted",
    "properties_set": "properties-set",
    "labels_added": "labels-added",
    "labels_removed": "labels-removed",
    "indices_created": "indexes-added",
    "indices_deleted": "indexes-removed",
}


def _lead(query: str) -> int:
    """Where ``query`` starts after blanks and comments."""
    m = _LEAD.match(query)
    return m.end() if m else 0


class BoltFailure(Exception):
    """A FAILURE to send: a Neo4j status code and a message."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def classify(error: Exception) -> BoltFailure:
    """A FalkorDB error as the Neo4j status the driver maps to the right exception."""
    msg = " ".join(str(error).split()) or type(error).__name__
    low = msg.lower()
    if "read-only" in low or "ro_query" in low:
        return BoltFailure(
            "Neo.ClientError.Statement.AccessMode", f"a write in a read-only session or transaction: {msg}"
        )
    if (
        "invalid input" in low
        or "errmsg" in low
        or "syntax" in low
        or "unknown function" in low
        or "not defined" in low
    ):
        return BoltFailure("Neo.ClientError.Statement.SyntaxError", msg)
    if "type mismatch" in low:
        return BoltFailure("Neo.ClientError.Statement.TypeError", msg)
    return BoltFailure(
        "Neo.ClientError.Statement.ExecutionFailed"
        if "timeout" not in low
        else "Neo.ClientError.Transaction.TransactionTimedOut",
        msg,
    )


def is_explain(query: str) -> bool:
    """True if ``query`` starts with EXPLAIN (after blanks and comments).

    EXPLAIN anywhere else (after a ``CYPHER a=1`` header, which FalkorDB would run) is refused.

    >>> is_explain("// why\\nexplain MATCH (n) DETACH DELETE n"), is_explain("MATCH (n) RETURN n.explain")
    (True, False)
    """
    rest = query[_lead(query):]
    if re.match(r"EXPLAIN\b", rest, re.I):
        return True
    if re.search(r"(?<![.$`\w])EXPLAIN\b", _LITERALS.sub(" ", query), re.I):
        raise BoltFailure(
            "Neo.ClientError.Statement.SyntaxError",
            "EXPLAIN is understood only at the start of a query "
            "(pass parameters as Bolt parameters, not in a CYPHER header)",
        )
    return False


def strip_explain(query: str) -> str:
    rest = query[_lead(query):]
    return rest[len("EXPLAIN"):]


def check_params(v: Any, where: str = "parameter") -> None:
    if isinstance(v, (Structure, bytes)):
        raise BoltFailure(
            "Neo.ClientError.Statement.TypeError",
            f"the local server cannot pass this {where} to FalkorDB "
            f"(a {type(v).__name__}): use strings, numbers, booleans, lists and maps",
        )
    for x in v.values() if isinstance(v, dict) else v if isinstance(v, list) else ():
        check_params(x, where)


def with_params(query: str, params: dict[str, Any]) -> str:
    """``query`` with its parameters in a CYPHER header, as the falkordb client writes it (kg.stores.bolt.falkordb)."""
    return ("CYPHER " + " ".join(f"{k}={cypher_literal(v)}" for k, v in params.items()) + " " if params else "") + query


class Result:
    def __init__(self, fields: list[str], rows: list[list[Any]], summary: dict[str, Any]):
        self.fields, self.rows, self.summary = fields, rows, summary


def execute(graph, query: str, params: dict[str, Any], read: bool) -> Result:
    """Run one statement through FalkorDB's client (blocking; called in a worker thread)."""
    t0 = time.perf_counter()
    if is_explain(query):
        plan = graph.explain(strip_explain(query), params or None)
        lines = [
            line.decode() if isinstance(line, bytes) else str(line)
            for line in getattr(plan, "plan", None) or str(plan).splitlines()
        ]
        plan_summary = {
            "type": "r",
            "plan": {
                "operatorType": "FalkorDB execution plan",
                "args": {"text": "\n".join(lines)},
                "identifiers": [],
                "children": [],
            },
        }
        return Result(["plan"], [[line] for line in lines], plan_summary)
    text = with_params(query, params)
    try:
        res = (graph.ro_query if read else graph.query)(text)
    except Exception as e:
        if not (read and "empty key" in str(e)):
            raise
        graph.query("RETURN 0")  # the graph does not exist yet: create it empty, as Neo4j's always is
        res = graph.ro_query(text)
    fields = [h[1] if isinstance(h, (list, tuple)) else h for h in res.header]
    fields = [f.decode() if isinstance(f, bytes) else str(f) for f in fields]
    rows = [[from_falkordb(v) for v in row] for row in res.result_set]
    stats = {name: int(getattr(res, attr)) for attr, name in _STATS.items() if getattr(res, attr, 0)}
    summary: dict[str, Any] = {
        "type": "r" if not stats else "rw" if rows else "w",
        "t_last": int((time.perf_counter() - t0) * 1000),
    }
    if stats:
        summary["stats"] = stats
    return Result(fields, rows, summary)
