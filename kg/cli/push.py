"""`kg push --sparql-endpoint URL`: the dataset to a SPARQL server, one named graph per document."""

from __future__ import annotations

import os

import click

from kg.cli._base import Config, cli, emit_json, pass_config, progress, summary_format, user_errors


@cli.command()
@click.option(
    "--sparql-endpoint",
    "endpoint",
    required=True,
    metavar="URL",
    envvar="KG_SPARQL_ENDPOINT",
    help="Graph Store HTTP Protocol URL: http://host:7878/store (Oxigraph), http://host:8890/sparql-graph-crud-auth "
    "(Virtuoso), http://host:3030/ds/data (Fuseki). Env KG_SPARQL_ENDPOINT.",
)
@click.option(
    "--user",
    envvar="KG_SPARQL_USER",
    help="HTTP user (env KG_SPARQL_USER); the password is read from KG_SPARQL_PASSWORD.",
)
@click.option(
    "--auth",
    type=click.Choice(["auto", "basic", "digest"]),
    default="auto",
    show_default=True,
    envvar="KG_SPARQL_AUTH",
    help="HTTP authentication: auto sends Basic and switches to Digest when the server asks for it "
    "(env KG_SPARQL_AUTH).",
)
@click.option("--chunk", type=click.IntRange(1), default=50_000, show_default=True, help="Triples per request.")
@click.option(
    "--timeout", type=click.FloatRange(0, min_open=True), default=300.0, show_default=True, help="Seconds per request."
)
@click.option(
    "--no-ontology", is_flag=True, help="Leave the ontology's graph out (the named queries of `kg orgs` need it)."
)
@click.option(
    "--prune",
    "prune_query",
    metavar="QUERY_URL",
    help="Also delete the server's document graphs the store no longer has, found through this SPARQL query endpoint "
    "(e.g. http://127.0.0.1:7878/query).",
)
@summary_format
@pass_config
@user_errors
def push(
    config: Config,
    endpoint: str,
    user: str | None,
    auth: str,
    chunk: int,
    timeout: float,
    no_ontology: bool,
    prune_query: str | None,
    fmt: str,
) -> None:
    """Upload the built graph to a SPARQL store: each named graph replaced (PUT, then POST in chunks); idempotent.

    The password for --user is read from KG_SPARQL_PASSWORD, never from the command line.
    """
    from kg.workflows.push import push_store

    password = os.environ.get("KG_SPARQL_PASSWORD", "")
    r = push_store(config.store_path, endpoint, ontology=not no_ontology, user=user, password=password, auth=auth,
                   timeout=timeout, chunk=chunk, progress=progress, prune_query_url=prune_query or None)
    if fmt == "json":
        emit_json(r.as_json())
    else:
        click.echo(r.summary(pruned=bool(prune_query)))


__all__ = ["push"]
