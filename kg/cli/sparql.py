"""SPARQL for analysts: `kg sparql` (one query), `kg serve` (a SPARQL 1.1 endpoint), `kg export`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli._base import Config, cli, emit, pass_config, read_text, user_errors

_SOLUTIONS = ["table", "json", "csv", "tsv", "xml"]
_GRAPHS = ["turtle", "jsonld", "nt", "rdfxml"]


def _query_text(query: str | None, file) -> str:
    if file is not None and query is not None:
        raise click.UsageError("give the query as an argument or with -f FILE, not both")
    if file is not None:
        return read_text(file)
    if query is None:
        raise click.UsageError("give a query: kg sparql 'SELECT …', -f FILE.rq, or - to read standard input")
    return read_text(sys.stdin) if query == "-" else query


def _max_memory(f):
    return click.option("--max-memory", type=click.IntRange(0), default=1024, show_default=True, metavar="MB",
                        help="Memory a query may use, in MB (0: no limit); a query that needs more is stopped.")(f)


@cli.command()
@click.argument("query", required=False)
@click.option(
    "-f",
    "--file",
    "file",
    type=click.File("r", encoding="utf-8"),
    help="Read the query from FILE (e.g. queries/sparql/members.rq).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(_SOLUTIONS + _GRAPHS),
    default=None,
    help="SELECT/ASK: table (default), json (SPARQL 1.1 results JSON), csv, tsv, xml; "
    "CONSTRUCT/DESCRIBE: turtle (default), jsonld, nt, rdfxml.",
)
@click.option(
    "--graph", metavar="DOC", help="Only this source document's named graph (xnbio-2024-07a, id:doc/…, or its IRI)."
)
@click.option(
    "--timeout",
    type=click.FloatRange(0),
    default=30.0,
    show_default=True,
    help="Stop the query after this many seconds (0: no limit).",
)
@click.option("--allow-service", is_flag=True, help="Allow SERVICE calls to other endpoints (outbound HTTP).")
@_max_memory
@pass_config
@user_errors
def sparql(
    config: Config,
    query: str | None,
    file,
    fmt: str | None,
    graph: str | None,
    timeout: float,
    allow_service: bool,
    max_memory: int,
) -> None:
    """Run a SPARQL query (QUERY, -f FILE, or - for stdin) on the graph.

    The project prefixes (park:, id:, org:, prov:, skos:, dcterms:, schema:, time:, rdf:,
    rdfs:, owl:, xsd:) are declared; your own PREFIX lines override them. The default graph
    is the union of all source documents (and the ontology). SPARQL Update is refused.
    """
    from kg import sparql as sp

    text = _query_text(query, file)
    res = sp.run(config.store_path, text, fmt=fmt, graph=graph, timeout=timeout, allow_service=allow_service,
                 table=True, max_memory=max_memory)
    _echo_result(res)
    if res.empty:
        sys.exit(1)


def _echo_result(res) -> None:
    """An ASK answer as true/false, rows as a table, any other format as the endpoint's text."""
    from kg.queries.result import Report, Table

    if res.fmt == "rows" and res.boolean is not None:
        click.echo("true" if res.boolean else "false")
    elif res.fmt == "rows":
        emit(Report([Table("results", res.variables, res.rows)]), "table")
    else:
        out = res.body.decode("utf-8")
        click.echo(out, nl=not out.endswith("\n"))


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on (0.0.0.0 exposes the endpoint to the network).",
)
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="Port to listen on.")
@click.option(
    "--timeout",
    type=click.FloatRange(0),
    default=30.0,
    show_default=True,
    help="Stop each query after this many seconds (0: no limit).",
)
@click.option(
    "--max-rows",
    type=click.IntRange(1),
    default=100_000,
    show_default=True,
    help="Refuse answers with more rows (or triples) than this.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Queries answered at once (one process each).",
)
@click.option(
    "--writable",
    is_flag=True,
    help="Accept SPARQL Update (with the token); it changes the current build in place (kg build restores the facts).",
)
@click.option(
    "--token",
    envvar="KG_SERVE_TOKEN",
    metavar="TEXT",
    help="With --writable: the token updates must send as Authorization: Bearer "
    "(env KG_SERVE_TOKEN, which `ps` does not show; default: a new one, printed at start).",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="With --writable: one more Host name to answer to besides 127.0.0.1, localhost, [::1] and --host "
    "(repeatable).",
)
@click.option("--allow-service", is_flag=True, help="Allow SERVICE calls to other endpoints (outbound HTTP).")
@_max_memory
@click.option(
    "--engine",
    type=click.Choice(["kg", "oxigraph"]),
    default="kg",
    show_default=True,
    help="kg: this endpoint, with every guard. oxigraph: Oxigraph's own server (extra park-kg[oxigraph]), 7-25x "
    "the answers per second; read-only, timeout in whole seconds, but no row or memory limit (--max-rows, "
    "--workers, --max-memory refused), SERVICE always allowed (needs --allow-service), no CORS, /health or page.",
)
@pass_config
@click.pass_context
@user_errors
def serve(
    ctx: click.Context,
    config: Config,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    workers: int,
    writable: bool,
    token: str | None,
    allowed_hosts: tuple[str, ...],
    allow_service: bool,
    max_memory: int,
    engine: str,
) -> None:
    """Serve the graph as a SPARQL 1.1 endpoint at http://HOST:PORT/sparql (read-only by default).

    Queries by GET ?query= or POST (form or application/sparql-query); answers in JSON, XML,
    CSV or TSV (SELECT/ASK) and Turtle, JSON-LD, N-Triples or RDF/XML (CONSTRUCT/DESCRIBE) by
    the Accept header. http://HOST:PORT/ is a query page (offline: the project prefixes, the
    query library as examples, a table, CSV/JSON downloads); GET /sparql without a query is the
    service description; GET /health reports the graph being served. CORS is open for reads
    (no credentials). Ctrl-C stops it.

    With --writable, updates need the token (Authorization: Bearer …), are refused from
    other web sites' pages, and the endpoint answers only the host names it serves.

    With --engine oxigraph, Oxigraph's server answers at the same /sparql (read-only, the
    timeout rounded up to whole seconds) and follows rebuilds; row limits cannot be enforced
    by Oxigraph, so no answer is refused for its size.
    """
    from kg.server import serve as run_server

    _engine_options(ctx, engine, allow_service)
    token = _write_options(ctx, writable, token, allowed_hosts)
    run_server(config.store_path, host=host, port=port, timeout=timeout, max_rows=max_rows, workers=workers,
               writable=writable, allow_service=allow_service, max_memory=max_memory, token=token,
               allowed_hosts=allowed_hosts, engine=engine)


def _engine_options(ctx: click.Context, engine: str, allow_service: bool) -> None:
    """A usage error for an option Oxigraph's server cannot honour."""
    from click.core import ParameterSource

    if engine != "oxigraph":
        return
    for name in ("writable", "max_rows", "workers", "max_memory"):
        if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE:
            option = "--" + name.replace("_", "-")
            raise click.UsageError(f"{option} cannot be honoured by --engine oxigraph (Oxigraph's read-only server "
                                   "has no such mode or limit); leave it out or use --engine kg")
    if not allow_service:
        raise click.UsageError("--engine oxigraph always runs SERVICE calls (outbound HTTP) and cannot refuse them: "
                               "add --allow-service to accept that, or use --engine kg")


def _write_options(ctx: click.Context, writable: bool, token: str | None, allowed_hosts: tuple[str, ...]) -> str | None:
    """The write token (a new one is printed once on stderr); usage errors for options that do not fit."""
    import secrets

    from click.core import ParameterSource

    from kg.server.security import MIN_TOKEN_LENGTH, host_name

    if not writable:
        if ctx.get_parameter_source("token") is ParameterSource.COMMANDLINE or allowed_hosts:
            raise click.UsageError("--token and --allowed-host apply to --writable only")
        return None
    for name in allowed_hosts:
        if host_name(name) is None:
            raise click.BadParameter(
                f"{name!r} is not a host name (a name or an IP address, without scheme, port or path)",
                param_hint="--allowed-host",
            )
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise click.BadParameter(
            f"the token must be at least {MIN_TOKEN_LENGTH} characters (leave it out and kg serve makes one)",
            param_hint="--token",
        )
    if token is None:
        token = secrets.token_urlsafe(32)
        click.echo(f"updates need this token: send Authorization: Bearer {token}", err=True)
    return token


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ttl", "trig", "nq", "jsonld", "graphml", "csv"]),
    required=True,
    help="ttl (one merged graph), trig/nq/jsonld (named graphs kept), graphml (Gephi, Cytoscape), "
    "csv (neo4j-admin import).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="File to write (directory for csv); default: standard output.",
)
@pass_config
@user_errors
def export(config: Config, fmt: str, output: Path | None) -> None:
    """Export the whole dataset: RDF with its named graphs, GraphML, or CSV for neo4j-admin."""
    from kg.workflows.export import export as run_export

    report = run_export(config.store_path, fmt, output, stdout=sys.stdout.buffer)
    click.echo(report.summary(), err=True)
