"""SPARQL for analysts: check a query, run it in a worker process a timeout can kill, serialize the answer.

A query runs against the embedded store with the project prefixes predeclared (a
``PREFIX`` line in the query overrides them) and, unless a graph is named, the union of
all named graphs as its default graph.

Oxigraph has no query timeout and evaluates inside Rust without returning to Python, so a
query runs in a worker process (:class:`QueryRunner`) that holds the store open; when a
query outlives its timeout the worker is killed and replaced. Serialization happens in the
worker too, so the result-size limit and the timeout also bound a huge answer. A query may
also make its worker grow by a limited amount of memory (``RLIMIT_DATA``, set once the store
is open): one that needs more makes the worker fail an allocation and die, which is reported
as :class:`MemoryLimit`, and the worker is replaced.

SPARQL Update, and ``SERVICE`` or ``LOAD`` (which would make Oxigraph send HTTP requests), are refused
unless the caller allows them.
"""

from kg.sparql.check import MAX_NESTING, QUERY_FORMS, Query, check, syntax_error
from kg.sparql.errors import (
                              Busy,
                              MemoryLimit,
                              QueryFailed,
                              QueryRefused,
                              QuerySyntaxError,
                              QueryTimeout,
                              ResultTooLarge,
                              SparqlError,
                              WorkerDied,
)
from kg.sparql.execute import execute, resolve_graph
from kg.sparql.limits import DEFAULT_MAX_MEMORY
from kg.sparql.protocol import (
                              DEFAULT_TIMEOUT,
                              GRAPH_FORMATS,
                              SOLUTION_FORMATS,
                              TURTLE_PREFIXES,
                              Request,
                              Result,
                              default_format,
)
from kg.sparql.runner import QueryRunner, run

__all__ = [
    "Query", "Request", "Result", "QueryRunner", "check", "run", "execute", "syntax_error", "resolve_graph",
    "default_format",
    "SOLUTION_FORMATS", "GRAPH_FORMATS", "QUERY_FORMS", "DEFAULT_TIMEOUT", "TURTLE_PREFIXES",
    "SparqlError", "QuerySyntaxError", "QueryRefused", "QueryTimeout", "ResultTooLarge", "Busy", "QueryFailed",
    "WorkerDied",
    "MemoryLimit", "MAX_NESTING", "DEFAULT_MAX_MEMORY",
]
