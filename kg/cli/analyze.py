"""`kg analyze`: network analytics — hubs, clusters, bridges, and what planned memberships change."""

from __future__ import annotations

import click

from kg.cli._base import Config, backend_option, cli, complete_names, emit, output_options, pass_config, user_errors

_SCOPE_HELP = ("Which relations: active (the network today), planned (today's plus the planned ones, "
               "as if they had taken effect) or all (ended ones too).")
_scope = click.option(
    "--status", type=click.Choice(["active", "planned", "all"]), default="all", show_default=True, help=_SCOPE_HELP
)
_sample = click.option(
    "--sample",
    type=click.IntRange(1),
    default=None,
    metavar="K",
    help="Estimate betweenness from K sampled sources (default: exact up to 5,000 entities, else 500).",
)
_seed = click.option("--seed", type=int, default=0, show_default=True, help="Random seed of sampling and Louvain.")


def _all(n: int) -> int | None:
    return n or None


def _command(f):
    """What every analysis command takes: --format, --backend, the config, one-line errors."""
    return output_options(backend_option(pass_config(user_errors(f))))


@cli.group()
def analyze() -> None:
    """Network analytics: hubs, clusters, bridges, and what planned memberships change.

    Each command measures the projection of the graph (`kg path`, `kg view` use the same):
    entities as nodes, relations and memberships as edges, planned ones labelled planned.
    """


@analyze.command()
@click.option(
    "--measure",
    type=click.Choice(["degree", "betweenness", "pagerank"]),
    default="degree",
    show_default=True,
    help="Which centrality.",
)
@click.option("--top", type=click.IntRange(0), default=10, show_default=True, help="How many organizations (0: all).")
@click.option("--type", "type_", metavar="TYPE", help="Rank only this type and its subtypes (Company, 高等院校…).")
@_scope
@_sample
@_seed
@_command
def centrality(
    config: Config, measure: str, top: int, type_: str | None, status: str, sample: int | None, seed: int, fmt: str
) -> None:
    """Organizations ranked as hubs or brokers, each with why (memberships, relations, what it holds together)."""
    emit(config.graph.centrality(measure, top=_all(top), status=status, type_=type_, sample=sample, seed=seed), fmt)


@analyze.command()
@click.option(
    "--method",
    type=click.Choice(["louvain", "greedy"]),
    default="louvain",
    show_default=True,
    help="Modularity method.",
)
@click.option(
    "--resolution",
    type=click.FloatRange(0, min_open=True),
    default=1.0,
    show_default=True,
    help="Higher: more, smaller clusters.",
)
@click.option("--limit", type=click.IntRange(0), default=20, show_default=True, help="Rows per table (0: all).")
@click.option("--names", type=click.IntRange(0), default=12, show_default=True, help="Names listed per cell (0: all).")
@_scope
@_seed
@_command
def communities(
    config: Config, method: str, resolution: float, limit: int, names: int, status: str, seed: int, fmt: str
) -> None:
    """Clusters of organizations beside the declared communities and alliances they confirm."""
    report = config.graph.communities(
        status=status, method=method, resolution=resolution, seed=seed, limit=_all(limit), names=_all(names)
    )
    emit(report, fmt)


@analyze.command()
@click.argument("a", shell_complete=complete_names)
@click.argument("b", shell_complete=complete_names)
@click.option(
    "--max-len",
    type=click.IntRange(1),
    default=None,
    metavar="N",
    help="Every path of at most N hops (default: the shortest ones).",
)
@click.option("--limit", type=click.IntRange(1), default=100, show_default=True, help="Paths examined at most.")
@_scope
@_command
def bridges(config: Config, a: str, b: str, max_len: int | None, limit: int, status: str, fmt: str) -> None:
    """Organizations and relations that connect two organizations or communities, with evidence."""
    emit(config.graph.bridges(a, b, status=status, max_len=max_len, limit=limit), fmt)


@analyze.command()
@click.option(
    "--status",
    type=click.Choice(["active", "planned"]),
    default="planned",
    show_default=True,
    help="After: with the planned relations (planned) or active ones only (with --at).",
)
@click.option(
    "--at",
    "at",
    metavar="DATE",
    help="After: the relations in effect at DATE (YYYY, YYYY-MM or YYYY-MM-DD), from their dates.",
)
@click.option("--org", metavar="NAME", help="Also list what this organization newly reaches, and how.")
@click.option("--limit", type=click.IntRange(0), default=50, show_default=True, help="Rows per table (0: all).")
@_sample
@_seed
@_command
def compare(
    config: Config, status: str, at: str | None, org: str | None, limit: int, sample: int | None, seed: int, fmt: str
) -> None:
    """Today's network against the network once planned memberships take effect (or at a date)."""
    emit(config.graph.compare(status=status, at=at, org=org, limit=_all(limit), sample=sample, seed=seed), fmt)
