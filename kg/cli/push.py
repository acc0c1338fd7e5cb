"""`kg push --sparql-endpoint URL`: the dataset to a SPARQL server, one named graph per document."""

from __future__ import annotations

import os

import click

from kg.cli._base import Config, cli, pass_config, user_errors


@cli.command()
@click.option("--sparql-endpoint", "endpoint", required=True, metavar="URL", envvar="KG_SPARQL_ENDPOINT",
              help="Graph Store HTTP Protocol URL, e.g. http://127.0.0.1:7878/store (Oxigraph), http://host:3030/ds/data (Fuseki). Env KG_SPARQL_ENDPOINT.")
@click.option("--user", envvar="KG_SPARQL_USER", help="HTTP basic auth user (env KG_SPARQL_USER).")
@click.option("--no-ontology", is_flag=True, help="Leave the ontology's graph out (the named queries of `kg orgs` need it).")
@click.option("--prune", "prune_query", metavar="QUERY_URL", envvar="KG_SPARQL_QUERY",
              help="Also delete the server's document graphs the store no longer has, found through this SPARQL query endpoint "
                   "(e.g. http://127.0.0.1:7878/query). Env KG_SPARQL_QUERY.")
@pass_config
@user_errors
def push(config: Config, endpoint: str, user: str | None, no_ontology: bool, prune_query: str | None) -> None:
    """Upload the built graph to a SPARQL store: one PUT per named graph (replaces it; idempotent).

    The password for --user is read from KG_SPARQL_PASSWORD, never from the command line.
    """
    from kg.push import push_store

    auth = (user, os.environ.get("KG_SPARQL_PASSWORD", "")) if user else None

    def step(done: int, total: int) -> None:
        if total >= 20 and (done == total or done % max(1, total // 10) == 0):
            click.echo(f"… {done} of {total} graphs", err=True)

    r = push_store(config.store_path, endpoint, ontology=not no_ontology, auth=auth, progress=step, prune_query_url=prune_query or None)
    click.echo(f"pushed {r.graphs} graph(s), {r.triples:,} triples ({r.bytes / 1e6:.1f} MB) to {r.endpoint} "
               f"in {r.seconds:.2f} s: {r.triples_per_second:,.0f} triples/s")
    if prune_query:
        click.echo(f"removed {len(r.removed)} graph(s) of documents the store no longer has" + "".join(f"\n  {g}" for g in r.removed))


__all__ = ["push"]
