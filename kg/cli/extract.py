"""Growing the graph from articles: `kg extract`, `kg ingest`, `kg diff`."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli._base import (
    Config,
    cli,
    emit_json,
    output_options,
    pass_config,
    progress,
    summary_format,
    table_width,
    user_errors,
)

_facts_option = click.option(
    "--facts",
    "facts_dir",
    type=click.Path(path_type=Path),
    default="seeds/facts",
    show_default=True,
    help="Facts directory (the graph's source of truth).",
)
_sources_option = click.option(
    "--sources",
    "sources_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Source texts (default: FACTS/../sources).",
)


@cli.command()
@click.argument("article", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the candidates YAML here (default: standard output); "
    "never the article or a file under the facts or sources directory.",
)
@click.option("--force", is_flag=True, help="Replace OUTPUT if it exists.")
@click.option(
    "--source-meta",
    "meta_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Source metadata YAML (id, title, date…); default ARTICLE's .meta.yaml if present.",
)
@click.option(
    "--stem",
    default=None,
    help="Source stem: the file name the article gets under seeds/sources/ (default: ARTICLE's name).",
)
@_facts_option
@click.option("--no-graph", is_flag=True, help="Do not match the graph's names (rules only).")
@summary_format
@click.pass_context
@user_errors
def extract(
    ctx: click.Context,
    article: Path,
    output: Path | None,
    force: bool,
    meta_path: Path | None,
    stem: str | None,
    facts_dir: Path,
    no_graph: bool,
    fmt: str,
) -> None:
    """Propose candidate facts from a Chinese article, each with its evidence quote and offsets.

    With --format json, standard output is one object: the counts, and the candidates YAML as
    `candidates` when there is no -o."""
    from kg.extract import extract_file, graph_names

    explicit = ctx.get_parameter_source("facts_dir") != click.core.ParameterSource.DEFAULT
    known = None if no_graph else graph_names(facts_dir, required=explicit)
    protected = ((facts_dir, "facts directory"), (facts_dir.parent / "sources", "sources directory"))
    result = extract_file(article, output, known=known, meta_path=meta_path, stem=stem, force=force,
                          protected=protected, progress=progress)
    _said(result, output, fmt)


def _said(result, output: Path | None, fmt: str) -> None:
    """What `kg extract` found: the candidates and the report's summary line, or (--format json) the report."""
    if fmt == "json":
        emit_json(result.as_json())
        return
    if output is None:
        click.echo(result.text, nl=False)
    click.echo(result.summary(), err=output is None)


@cli.command()
@click.argument("candidates", type=click.Path(path_type=Path))
@_facts_option
@_sources_option
@click.option("--accept-all", is_flag=True, help="Also ingest items still marked `review: candidate`.")
@click.option("--dry-run", is_flag=True, help="Validate and show what would change; write nothing.")
@click.option("--no-shacl", is_flag=True, help="Skip SHACL validation in the rebuild.")
@output_options
@pass_config
@user_errors
def ingest(
    config: Config,
    candidates: Path,
    facts_dir: Path,
    sources_dir: Path | None,
    accept_all: bool,
    dry_run: bool,
    no_shacl: bool,
    fmt: str,
) -> None:
    """Add the accepted facts of a reviewed candidates file to the facts and rebuild the graph."""
    from kg.workflows.ingest import ingest as run_ingest

    r = run_ingest(
        candidates,
        facts_dir,
        config.store_path,
        sources_dir=sources_dir,
        accept_all=accept_all,
        dry_run=dry_run,
        shacl=not no_shacl,
        progress=progress,
    )
    for line in _ingest_lines(r, config.store_path, fmt):
        click.echo(line)


def _ingest_lines(r, store: Path, fmt: str) -> list[str]:
    """What `kg ingest` says it did (or would do): the report's summary, with its diff rendered."""
    from kg.render import render

    return r.summary(store, None if r.diff is None else render(r.diff.report, fmt, width=table_width()))


@cli.command()
@_facts_option
@_sources_option
@output_options
@pass_config
@user_errors
def diff(config: Config, facts_dir: Path, sources_dir: Path | None, fmt: str) -> None:
    """What a rebuild from the facts would add to or remove from the store (exit 0 either way)."""
    from kg.render import render
    from kg.workflows.ingest import diff as run_diff

    click.echo(render(run_diff(facts_dir, config.store_path, sources_dir=sources_dir).report, fmt, width=table_width()))
