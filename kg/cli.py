"""The `kg` command line: each command parses its arguments, makes one library call, renders.

Exit codes: 0 an answer, 1 no result or a user error (one line, no traceback), 2 usage.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from kg.errors import KgError

DEFAULT_STORE = "data/store"


class Config:
    def __init__(self, store: Path):
        self.store_path = store
        self._store = None

    @property
    def store(self):
        if self._store is None:
            from kg.stores import open_store

            self._store = open_store("store", path=self.store_path)
        return self._store


pass_config = click.make_pass_decorator(Config)


def _progress(msg: str) -> None:
    click.echo(f"… {msg}", err=True)


def output_options(f):
    """The shared ``--format`` option of every query command."""
    return click.option(
        "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True, help="Output format."
    )(f)


def user_errors(f):
    """Turn library errors into one readable line and exit code 1."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except KgError as e:
            raise click.ClickException(str(e)) from None
        except OSError as e:
            raise click.ClickException(f"{e.strerror or e}: {e.filename or ''}".rstrip(": ")) from None

    return wrapper


def _emit(report, fmt: str) -> None:
    from kg.render import render

    click.echo(render(report, fmt))
    if report.empty:
        sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--store", type=click.Path(path_type=Path), default=DEFAULT_STORE, show_default=True, envvar="KG_STORE", help="Store directory (env KG_STORE).")
@click.version_option(package_name="park-kg")
@click.pass_context
def cli(ctx: click.Context, store: Path) -> None:
    """park-kg: the organizations of an industrial park as a knowledge graph.

    Every answer carries the sentence it came from. Start with `kg build`, then ask
    `kg members 红领宁商`.
    """
    ctx.obj = Config(store)


@cli.command()
@click.option("--facts", "facts_dir", type=click.Path(path_type=Path), default="seeds/facts", show_default=True, help="Directory of facts YAML files.")
@click.option("--sources", "sources_dir", type=click.Path(path_type=Path), default=None, help="Source texts (default: FACTS/../sources).")
@click.option("--force", is_flag=True, help="Rebuild even when nothing changed.")
@click.option("--no-shacl", is_flag=True, help="Skip SHACL validation (faster for very large graphs).")
@pass_config
@user_errors
def build(config: Config, facts_dir: Path, sources_dir: Path | None, force: bool, no_shacl: bool) -> None:
    """Validate the facts and build the graph store (atomic: a failed build changes nothing)."""
    from kg.build import build as run_build

    report = run_build(facts_dir, config.store_path, sources_dir=sources_dir, force=force, shacl=not no_shacl, progress=_progress)
    c = report.counts
    if report.noop:
        click.echo(f"up to date: {config.store_path} already holds these facts ({c.get('triples', '?')} triples); --force to rebuild")
        return
    types = ", ".join(f"{k} {v}" for k, v in c["entities_by_type"].items())
    ms = ", ".join(f"{k} {v}" for k, v in c["memberships"].items())
    click.echo(
        f"built {config.store_path} in {report.seconds:.2f} s: {c['documents']} document(s), {c['entities']} entities "
        f"({types}); {c['statements']} statements: memberships ({ms}), {c['relations']} relations, "
        f"{c['chains']} chain(s), {c['indicators']} indicators; {c['triples']} triples"
    )


@cli.command()
@click.option("--type", "type_", metavar="TYPE", help="Only this type and its subtypes (Company, 公司, University…).")
@click.option("--in", "in_", metavar="PARK", help="Only organizations located in / part of this park.")
@output_options
@pass_config
@user_errors
def orgs(config: Config, type_: str | None, in_: str | None, fmt: str) -> None:
    """Organizations with type and Chinese/English names."""
    from kg import queries

    _emit(queries.orgs(config.store, type_=type_, in_=in_), fmt)


@cli.command()
@click.argument("name")
@output_options
@pass_config
@user_errors
def show(config: Config, name: str, fmt: str) -> None:
    """One entity: types, names, memberships, relations, indicators, with evidence."""
    from kg import queries

    _emit(queries.show(config.store, name), fmt)


_status = click.option("--status", type=click.Choice(["active", "planned", "ended", "all"]), default="all", show_default=True, help="Which memberships.")


@cli.command()
@click.argument("name")
@_status
@output_options
@pass_config
@user_errors
def members(config: Config, name: str, status: str, fmt: str) -> None:
    """Members of a community, alliance or organization, with status and evidence."""
    from kg import queries

    _emit(queries.members(config.store, name, status), fmt)


@cli.command()
@click.argument("name")
@_status
@output_options
@pass_config
@user_errors
def memberships(config: Config, name: str, status: str, fmt: str) -> None:
    """What an organization is (or will be) a member of."""
    from kg import queries

    _emit(queries.memberships(config.store, name, status), fmt)


@cli.command()
@click.argument("name")
@click.option("--depth", type=click.IntRange(1, 6), default=1, show_default=True, help="Hops away.")
@click.option("--predicate", "predicates", multiple=True, metavar="P", help="Only this relation (repeatable): locatedIn, memberOf, plannedMemberOf…")
@output_options
@pass_config
@user_errors
def related(config: Config, name: str, depth: int, predicates: tuple[str, ...], fmt: str) -> None:
    """Neighbours of an entity with the relation and its direction."""
    from kg import queries

    _emit(queries.related(config.store, name, depth, predicates), fmt)


@cli.command()
@click.argument("a")
@click.argument("b")
@click.option("--status", type=click.Choice(["active", "all"]), default="all", show_default=True, help="Use only active relations, or all (planned hops are labelled).")
@output_options
@pass_config
@user_errors
def path(config: Config, a: str, b: str, status: str, fmt: str) -> None:
    """The shortest chain of relations between two entities, each hop with evidence."""
    from kg import queries

    _emit(queries.path(config.store, a, b, status), fmt)


@cli.command()
@click.argument("name")
@output_options
@pass_config
@user_errors
def chain(config: Config, name: str, fmt: str) -> None:
    """An ordered chain (e.g. the incubation chain), given the chain or any stage."""
    from kg import queries

    _emit(queries.chain(config.store, name), fmt)


@cli.command()
@output_options
@pass_config
@user_errors
def stats(config: Config, fmt: str) -> None:
    """Counts by class and by predicate."""
    from kg import queries

    _emit(queries.stats(config.store), fmt)


def main() -> None:
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
