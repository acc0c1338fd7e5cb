"""Build and the query commands: build, orgs, show, members, memberships, related, path, chain, stats."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli._base import (
    Config,
    backend_option,
    cli,
    complete_names,
    emit,
    emit_json,
    output_options,
    pass_config,
    progress,
    summary_format,
    user_errors,
)


@cli.command()
@click.option(
    "--facts",
    "facts_dir",
    type=click.Path(path_type=Path),
    default="seeds/facts",
    show_default=True,
    help="Directory of facts YAML files.",
)
@click.option(
    "--sources",
    "sources_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Source texts (default: FACTS/../sources).",
)
@click.option("--force", is_flag=True, help="Rebuild even when nothing changed.")
@click.option("--no-shacl", is_flag=True, help="Skip SHACL validation (faster for very large graphs).")
@summary_format
@pass_config
@user_errors
def build(config: Config, facts_dir: Path, sources_dir: Path | None, force: bool, no_shacl: bool, fmt: str) -> None:
    """Validate the facts and build the graph store (atomic: a failed build changes nothing)."""
    from kg.api import Graph

    report = Graph.build(
        facts_dir, config.store_path, sources=sources_dir, force=force, shacl=not no_shacl, progress=progress
    )
    if fmt == "json":
        emit_json(report.as_json())
    else:
        click.echo(report.summary())


@cli.command()
@click.option("--type", "type_", metavar="TYPE", help="Only this type and its subtypes (Company, 公司, University…).")
@click.option("--in", "in_", metavar="PARK", help="Only organizations located in / part of this park.")
@output_options
@backend_option
@pass_config
@user_errors
def orgs(config: Config, type_: str | None, in_: str | None, fmt: str) -> None:
    """Organizations with type and Chinese/English names."""
    emit(config.graph.orgs(type_=type_, in_=in_), fmt)


@cli.command()
@click.argument("name", shell_complete=complete_names)
@output_options
@backend_option
@pass_config
@user_errors
def show(config: Config, name: str, fmt: str) -> None:
    """One entity: types, names, memberships, relations, indicators, with evidence."""
    emit(config.graph.show(name), fmt)


_status = click.option(
    "--status",
    type=click.Choice(["active", "planned", "ended", "all"]),
    default="all",
    show_default=True,
    help="Which memberships.",
)


@cli.command()
@click.argument("name", shell_complete=complete_names)
@_status
@output_options
@backend_option
@pass_config
@user_errors
def members(config: Config, name: str, status: str, fmt: str) -> None:
    """Members of a community, alliance or organization, with status and evidence."""
    emit(config.graph.members(name, status), fmt)


@cli.command()
@click.argument("name", shell_complete=complete_names)
@_status
@output_options
@backend_option
@pass_config
@user_errors
def memberships(config: Config, name: str, status: str, fmt: str) -> None:
    """What an organization is (or will be) a member of."""
    emit(config.graph.memberships(name, status), fmt)


@cli.command()
@click.argument("name", shell_complete=complete_names)
@click.option("--depth", type=click.IntRange(1, 6), default=1, show_default=True, help="Hops away.")
@click.option(
    "--predicate",
    "predicates",
    multiple=True,
    metavar="P",
    help="Only this relation (repeatable): locatedIn, memberOf, plannedMemberOf…",
)
@output_options
@backend_option
@pass_config
@user_errors
def related(config: Config, name: str, depth: int, predicates: tuple[str, ...], fmt: str) -> None:
    """Neighbours of an entity with the relation and its direction."""
    emit(config.graph.related(name, depth, predicates), fmt)


@cli.command()
@click.argument("a", shell_complete=complete_names)
@click.argument("b", shell_complete=complete_names)
@click.option(
    "--status",
    type=click.Choice(["active", "all"]),
    default="all",
    show_default=True,
    help="Use only active relations, or all (planned hops are labelled).",
)
@click.option("--all", "all_paths", is_flag=True, help="Every shortest path, not just one.")
@click.option(
    "--max-len", type=click.IntRange(1), default=None, metavar="N", help="Every path of at most N hops (implies --all)."
)
@output_options
@backend_option
@pass_config
@user_errors
def path(config: Config, a: str, b: str, status: str, all_paths: bool, max_len: int | None, fmt: str) -> None:
    """The shortest chain of relations between two entities, each hop with evidence."""
    emit(config.graph.path(a, b, status, all_paths=all_paths, max_len=max_len), fmt)


@cli.command()
@click.argument("name", shell_complete=complete_names)
@output_options
@backend_option
@pass_config
@user_errors
def chain(config: Config, name: str, fmt: str) -> None:
    """An ordered chain (e.g. the incubation chain), given the chain or any stage."""
    emit(config.graph.chain(name), fmt)


@cli.command()
@output_options
@pass_config
@user_errors
def stats(config: Config, fmt: str) -> None:
    """Counts by class and by predicate."""
    emit(config.graph.stats(), fmt)
