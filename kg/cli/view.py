"""`kg view`: write an interactive, self-contained HTML view of the graph."""

from __future__ import annotations

import time
from pathlib import Path

import click

from kg.cli._base import Config, cli, emit_json, pass_config, summary_format, user_errors


@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default="kg-view.html",
    show_default=True,
    help="HTML file to write.",
)
@click.option("--open", "open_", is_flag=True, help="Open the file in the default browser.")
@click.option("--around", metavar="NAME", help="Only NAME and what is within --depth relations of it.")
@click.option("--depth", type=click.IntRange(1, 6), default=1, show_default=True, help="Hops for --around.")
@click.option("--community", metavar="NAME", help="A community or alliance with its members, active and planned.")
@click.option("--chain", metavar="NAME", help="The chain NAME is (or is a stage of), left to right.")
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    help="Only entities of this class (repeatable or comma-separated): Company, 高等院校…",
)
@click.option(
    "--predicate",
    "predicates",
    multiple=True,
    metavar="P",
    help="Only this relation (repeatable or comma-separated): memberOf, plannedMemberOf…",
)
@click.option(
    "--status",
    type=click.Choice(["active", "planned", "ended", "all"]),
    default="all",
    show_default=True,
    help="Only relations of this status (planned ones are dashed).",
)
@click.option("--english", is_flag=True, help="Start with English labels (the page has a toggle).")
@click.option("--force", is_flag=True, help="Draw views of more than 10,000 entities too (slow in a browser).")
@summary_format
@pass_config
@user_errors
def view(
    config: Config,
    output: Path,
    open_: bool,
    around: str | None,
    depth: int,
    community: str | None,
    chain: str | None,
    types: tuple[str, ...],
    predicates: tuple[str, ...],
    status: str,
    english: bool,
    force: bool,
    fmt: str,
) -> None:
    """Write an HTML view of the graph that works offline (one file, no network).

    The whole graph by default, or one focus: --around, --community, --chain; filter with
    --type and --predicate. Colour and shape by class, size by relations, planned
    relations dashed; search by name, 简称 or English; click or hover for the evidence.
    """
    from kg.views import MAX_NODES, write_view

    if sum(x is not None for x in (around, community, chain)) > 1:
        raise click.UsageError("use one of --around, --community and --chain")
    start = time.perf_counter()
    v = write_view(config.store, output, around=around, depth=depth, community=community, chain=chain, types=types,
                   predicates=predicates, status=status, english=english, max_nodes=None if force else MAX_NODES)
    _said(v, output, time.perf_counter() - start, fmt)
    if open_:
        click.launch(str(output.resolve()))


def _said(v, output: Path, seconds: float, fmt: str) -> None:
    """What `kg view` wrote: the view's summary lines, or (--format json) its report."""
    if fmt == "json":
        emit_json(v.as_json(output, seconds))
        return
    for line in v.summary(output, seconds):
        click.echo(line)
