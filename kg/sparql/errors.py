"""The errors a query can end in, each a :class:`~kg.errors.KgError` the CLI and the server turn into one line."""

from __future__ import annotations

from kg.errors import KgError

__all__ = ["SparqlError", "QuerySyntaxError", "QueryRefused", "QueryTimeout", "ResultTooLarge", "Busy", "QueryFailed",
           "WorkerDied", "MemoryLimit"]


class SparqlError(KgError):
    """A query that cannot be answered as asked."""


class QuerySyntaxError(SparqlError):
    """The query does not parse; ``line`` and ``column`` (1-based) are where the parser stopped."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.line, self.column, self.detail = line, column, message
        super().__init__(f"line {line}, column {column}: {message}" if line else message)


class QueryRefused(SparqlError):
    """An Update, a SERVICE call or a LOAD where they are not allowed."""


class QueryTimeout(SparqlError):
    """The query ran longer than its timeout and was stopped."""


class ResultTooLarge(SparqlError):
    """The answer has more rows (or triples) than the limit."""


class Busy(SparqlError):
    """No worker became free within the timeout."""


class QueryFailed(SparqlError):
    """The store could not evaluate the query as asked (an unsupported function, a graph name that is no IRI…)."""


class WorkerDied(SparqlError):
    """The worker process died while answering (it is restarted)."""


class MemoryLimit(SparqlError):
    """The query needed more memory than a worker may use (the worker is restarted)."""
