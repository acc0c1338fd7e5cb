"""The property-graph commands: `kg graphdb start|stop|status`, `kg neo4j load|export`, `kg cypher`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.cli._base import (
    Config,
    cli,
    emit,
    emit_json,
    output_options,
    pass_config,
    progress,
    read_text,
    summary_format,
    user_errors,
)
from kg.errors import KgError


def _graphdb_dir(f):
    return click.option(
        "--dir",
        "data_dir",
        type=click.Path(path_type=Path),
        default=None,
        envvar="KG_GRAPHDB_DIR",
        help="Data directory of the local server (default data/graphdb; env KG_GRAPHDB_DIR).",
    )(f)


@cli.group()
def graphdb() -> None:
    """The local graph database (FalkorDB and our Bolt server on 127.0.0.1), the default target of the Bolt commands."""


@graphdb.command()
@_graphdb_dir
@click.option("--port", type=int, default=6390, show_default=True, help="Redis-protocol port (native FalkorDB client).")
@click.option("--bolt-port", type=int, default=7687, show_default=True, help="Bolt port (neo4j driver).")
@click.option(
    "--password",
    envvar="KG_GRAPHDB_PASSWORD",
    default=None,
    help="Require this password on both ports (env KG_GRAPHDB_PASSWORD; prefer the env variable: never in `ps`).",
)
@user_errors
def start(data_dir: Path | None, port: int, bolt_port: int, password: str | None) -> None:
    """Start the server on 127.0.0.1 and wait until it answers."""
    from kg.graphdb import GraphDb

    st = GraphDb(data_dir).start(port=port, bolt_port=bolt_port, password=password or None)
    click.echo(f"graph database running (pid {st.pid}): {_where(st)}")


def _where(st) -> str:
    access = (
        "a password is required on both ports" if st.password else "no password: every local user can read and write it"
    )
    where = f"{st.bolt_uri} (Bolt), 127.0.0.1:{st.port} (native), listening on 127.0.0.1 only"
    return f"{where}; {access}; data in {st.data_dir}"


@graphdb.command()
@_graphdb_dir
@user_errors
def stop(data_dir: Path | None) -> None:
    """Stop the server (it saves its data first); never signals a process kg did not start."""
    from kg.graphdb import GraphDb

    db = GraphDb(data_dir)
    st, stale = db.status()
    if st is None:
        click.echo(_not_running(stale))
        return
    db.stop()
    click.echo("stopped")


@graphdb.command()
@_graphdb_dir
@summary_format
@user_errors
def status(data_dir: Path | None, fmt: str) -> None:
    """Say whether the server runs, and where (exit 1 if not)."""
    from dataclasses import asdict

    from kg.graphdb import GraphDb

    st, stale = GraphDb(data_dir).status()
    running = st is not None and st.bolt_running
    if fmt == "json":
        emit_json({"running": running, **({"bolt_uri": st.bolt_uri, **asdict(st)} if st else {}), "stale": stale})
    else:
        click.echo(_status_line(st, stale))
    sys.exit(0 if running else 1)


def _status_line(st, stale: str | None) -> str:
    """`kg graphdb status` in words: running and where, or what is not running."""
    if st is None:
        return _not_running(stale) + "; start it with `kg graphdb start`"
    if not st.bolt_running:
        return f"FalkorDB runs (pid {st.pid}) but its Bolt server does not: `kg graphdb start` starts it again"
    return f"running (pid {st.pid}, Bolt server pid {st.bolt_pid}): {_where(st)}"


def _not_running(stale: str | None) -> str:
    from kg.graphdb import STALE

    return f"{STALE}: {stale}" if stale else "not running"


def connection_options(f):
    """Where the property graph is: options override NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE."""
    opts = [
        click.option(
            "--uri",
            help="bolt:// or neo4j:// URI (env NEO4J_URI; default: the local `kg graphdb` if it runs, else an error).",
        ),
        click.option("--user", help="User (env NEO4J_USER, sent only with --uri or NEO4J_URI)."),
        click.option(
            "--password",
            help="Password (env NEO4J_PASSWORD, only with --uri or NEO4J_URI; better the env variable: not in `ps`).",
        ),
        click.option("--database", help="Database (env NEO4J_DATABASE, with --uri or NEO4J_URI; Neo4j only)."),
        click.option(
            "--transport",
            type=click.Choice(["auto", "bolt", "native"]),
            default=None,
            help="neo4j driver over Bolt, or FalkorDB's native client (local server); auto: native for loads "
            "into the local server, else Bolt (env KG_TRANSPORT).",
        ),
        click.option(
            "--engine",
            type=click.Choice(["auto", "neo4j", "falkordb"]),
            default="auto",
            show_default=True,
            help="Server kind (auto-detected).",
        ),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def _config(uri, user, password, database, transport, engine):
    from kg.stores.bolt import BoltConfig

    return BoltConfig.from_env(
        uri=uri, user=user, password=password, database=database, transport=transport, engine=engine
    )


@cli.group()
def neo4j() -> None:
    """Load the graph into a Bolt server (Neo4j 5 / Aura, or the local FalkorDB) and read it back."""


@neo4j.command()
@connection_options
@click.option("--wipe", is_flag=True, help="Delete everything in the target graph first.")
@summary_format
@pass_config
@user_errors
def load(config: Config, wipe: bool, fmt: str, **conn) -> None:
    """Project the built graph into the property graph (idempotent: MERGE on iri) and create its indexes."""
    from kg.stores.bolt import load_store

    r = load_store(config.store_path, _config(**conn), wipe=wipe, progress=progress)
    if fmt == "json":
        from dataclasses import asdict

        emit_json({**asdict(r), "rows_per_second": round(r.rows_per_second),
                   "end_to_end_rows_per_second": round(r.end_to_end_rows_per_second)})
        return
    click.echo(
        f"loaded {r.nodes:,} nodes and {r.relationships:,} relationships into {r.engine} ({r.transport} transport): "
        f"{r.end_to_end_rows_per_second:,.0f} rows/s end to end ({r.total_seconds:.2f} s), "
        f"{r.rows_per_second:,.0f} rows/s writing ({r.seconds:.2f} s, {r.batches} batches); "
        + ", ".join(f"{phase} {s:.2f} s" for phase, s in r.phases.items())
    )



@neo4j.command(name="export")
@connection_options
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file (default stdout).")
@click.option("--format", "fmt", type=click.Choice(["nt", "ttl"]), default="nt", show_default=True)
@user_errors
def export_(output: Path | None, fmt: str, **conn) -> None:
    """Read the property graph back as RDF (the inverse of `kg neo4j load`)."""
    from kg.stores.bolt import export_rdf

    data = export_rdf(_config(**conn), fmt)
    if output:
        output.write_bytes(data)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(data.decode("utf-8"), nl=False)


def _param(text: str) -> tuple[str, object]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"{text!r} is not k=v", param_hint="--param")
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value


@cli.command()
@click.argument("query", required=False)
@click.option(
    "-f", "--file", "file", type=click.File(encoding="utf-8"), help="Read the query from a file ('-' for stdin)."
)
@click.option(
    "--param", "params", multiple=True, metavar="K=V", help="A query parameter; V is JSON if it parses, else text."
)
@click.option("--write", is_flag=True, help="Allow write clauses (CREATE, MERGE, SET, DELETE…).")
@connection_options
@output_options
@pass_config
@user_errors
def cypher(config: Config, query: str | None, file, params: tuple[str, ...], write: bool, fmt: str, **conn) -> None:
    """Run a Cypher query against the Bolt server; read-only unless --write."""
    from kg.queries.result import Report, Table
    from kg.stores.bolt import BoltStore

    if (query is None) == (file is None):
        raise click.UsageError("give a QUERY or -f FILE")
    text = query if query is not None else read_text(file)
    if query == "-":
        text = read_text(sys.stdin)
    if not text.strip():
        raise click.UsageError("the query is empty")
    store = BoltStore(_config(**conn))
    config._store = store  # closed by the group on exit
    rows = store.cypher(text, dict(_param(p) for p in params), write=write)
    columns = list(rows[0]) if rows else []
    emit(Report([Table("rows", columns, rows)]), fmt)


__all__ = ["graphdb", "neo4j", "cypher", "KgError"]
