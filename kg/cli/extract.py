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
    """What `kg extract` found: the candidates and a summary line, or (--format json) one object."""
    if fmt == "json":
        candidates = {"candidates": result.text} if output is None else {}
        emit_json({"article": result.article, "output": result.output, "encoding": result.encoding,
                   "seconds": round(result.seconds, 3), "counts": result.counts, **candidates})
        return
    if output is None:
        click.echo(result.text, nl=False)
    click.echo(_extract_summary(result, output), err=output is None)


def _extract_summary(result, output: Path | None) -> str:
    """The line `kg extract` ends with: what it found and where it wrote it."""
    c = result.counts
    dropped = f"; {c['dropped']} item(s) dropped: quote not found back in the text" if c["dropped"] else ""
    return (
        f"{result.article}: {c['entities']} new entities, {c['known']} known, {c['memberships']} memberships, "
        f"{c['relations']} relations, {c['chains']} chain(s), {c['indicators']} indicators → "
        f"{output or 'standard output'} ({result.encoding}, {result.seconds:.2f} s){dropped}"
    )


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
    """What `kg ingest` says it did (or would do)."""
    added = ", ".join(f"{v} {k}" for k, v in r.added.items())
    skipped = ", ".join(f"{v} {k}" for k, v in r.skipped.items() if v)
    verb = "would add" if r.dry_run else "added"
    out = [f"{verb} to {r.target}: {added}" + (f"; skipped: {skipped}" if skipped else "")]
    if r.resolved:
        out.append(
            f"already in the graph ({len(r.resolved)}): "
            + ", ".join(a if a == b else f"{a} → {b}" for a, b in sorted(r.resolved.items()))
        )
    if r.source_installed:
        out.append(f"{verb} the article and its metadata under {r.sources}")
    out += [f"note: {note}" for note in r.notes]
    if r.diff is not None:
        from kg.render import render

        out.append(render(r.diff.report, fmt, width=table_width()))
    if r.build is not None:
        c = r.build.counts
        out.append(
            f"rebuilt {store} in {r.build.seconds:.2f} s: {c['entities']} entities, {c['statements']} statements, "
            f"{c.get('triples', '?')} triples"
        )
    return out


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
