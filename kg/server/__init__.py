"""The SPARQL 1.1 Protocol endpoint over the embedded store, and its query page: a Starlette app served by uvicorn.

* ``GET /sparql?query=…`` and ``POST /sparql`` with ``application/x-www-form-urlencoded``
  (``query=``) or ``application/sparql-query``; ``default-graph-uri`` and
  ``named-graph-uri`` set the dataset (default: the union of all named graphs).
  ``GET /sparql`` without a query answers the SPARQL 1.1 Service Description
  (:mod:`kg.server.description`).
* The answer's format is negotiated from ``Accept`` (or a ``format``/``output``
  parameter): SPARQL results JSON, XML, CSV, TSV for SELECT/ASK; Turtle, JSON-LD,
  N-Triples, RDF/XML for CONSTRUCT/DESCRIBE and the service description.
* Read-only unless started writable: an Update (``update=`` or
  ``application/sparql-update``) gets 403; SERVICE and LOAD get 403 unless allowed.
* Writable, it defends against the web pages its user visits (:mod:`kg.server.security`): a
  ``Host`` that is not a name it was started for gets 421 (DNS rebinding); an update from a
  foreign ``Origin`` or with ``Sec-Fetch-Site: cross-site`` gets 403 (a form POST needs no
  preflight); an update without the server's token (``Authorization: Bearer …``) gets 401.
* Each query runs in a worker process (:class:`kg.sparql.QueryRunner`) that is killed
  after the timeout (503), and that may use ``max_memory`` MB (503 past it); an answer
  over the row limit gets 422; a query that does not parse gets 400 with the parser's
  line, column and message.
* ``GET /`` is an offline query page (:mod:`kg.server.page`): an editor with the project
  prefixes, the ``queries/sparql/`` library as examples, results as a table, CSV/JSON
  downloads; it loads nothing from any other host.
* CORS is open to any origin without credentials on reads, so another page can query the
  endpoint; a read-only endpoint also allows Private Network Access. Updates get no CORS headers.
* A request body larger than ``max_query_bytes`` gets 413, one that has not arrived within
  the timeout 408; every response carries ``nosniff`` and ``no-referrer`` and a
  Content-Security-Policy that lets nothing load or run (``default-src 'none'``), except the
  query page's, which lets it load its own script and style and query this origin.
* ``GET /health`` describes the graph served; one log line per request.
"""

from kg.server.app import ServerConfig, create_app
from kg.server.middleware import SECURITY_HEADERS
from kg.server.protocol import GRAPH_MEDIA, SOLUTION_MEDIA, negotiate
from kg.server.run import serve

__all__ = ["ServerConfig", "create_app", "serve", "negotiate", "SOLUTION_MEDIA", "GRAPH_MEDIA", "SECURITY_HEADERS"]
