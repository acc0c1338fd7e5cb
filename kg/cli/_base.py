"""The `kg` group and what its commands share: the config object, --format, error handling."""

from __future__ import annotations

import contextlib
import functools
import sys
from pathlib import Path

import click

from kg.api import DEFAULT_STORE
from kg.errors import KgError


class Config:
    """What the group hands to each command: where the graph is, as a :class:`kg.api.Graph` opened on first use."""

    def __init__(self, store: Path):
        self.store_path = store
        self.backend = "store"
        self.backend_options: dict = {}  # e.g. the query URL of --backend sparql
        self._graph = None
        self._store = None  # a store a command opened itself (kg cypher's), closed with the graph

    @property
    def graph(self):
        """The :class:`kg.api.Graph` the query commands ask (``--store``, ``--backend``)."""
        if self._graph is None:
            from kg.api import Graph

            options = {k: v for k, v in self.backend_options.items() if k != "store_path"}
            self._graph = Graph(self.store_path, backend=self.backend, **options)
        return self._graph

    @property
    def store(self):
        return self._store if self._store is not None else self.graph.store

    def close(self) -> None:
        if self._store is not None and hasattr(self._store, "close"):
            self._store.close()
        if self._graph is not None:
            self._graph.close()


def backend_option(f):
    """``--backend store|bolt|sparql``: answer from the embedded store, the Bolt server (NEO4J_URI…) or a SPARQL
    server (``--sparql-endpoint URL`` / KG_SPARQL_QUERY; names resolved by the local store's index when it is built)."""

    def set_backend(ctx: click.Context, _param, value: str) -> str:
        config = ctx.find_object(Config)
        config.backend = value
        if value == "sparql":
            config.backend_options.update(store_path=config.store_path)
        return value

    def set_endpoint(ctx: click.Context, _param, value: str | None) -> str | None:
        if value:
            ctx.find_object(Config).backend_options["endpoint"] = value
        return value

    f = click.option(
        "--sparql-endpoint",
        metavar="URL",
        envvar="KG_SPARQL_QUERY",
        expose_value=False,
        callback=set_endpoint,
        help="With --backend sparql: the server's SPARQL query URL, e.g. http://127.0.0.1:7878/query "
        "(env KG_SPARQL_QUERY).",
    )(f)
    return click.option(
        "--backend",
        type=click.Choice(["store", "bolt", "sparql"]),
        default="store",
        show_default=True,
        expose_value=False,
        callback=set_backend,
        help="Embedded store, the Bolt server (NEO4J_URI, or the local `kg graphdb`), or a SPARQL server.",
    )(f)


pass_config = click.make_pass_decorator(Config)


def progress(step) -> None:
    """Show a progress report (a :class:`kg.progress.Step`) on stderr through the
    command's :class:`kg.cli.progress.ProgressView` (a bar with an ETA on a terminal, plain lines otherwise)."""
    from kg.cli.progress import ProgressView

    ctx = click.get_current_context(silent=True)
    if ctx is None:
        ProgressView()(step)
        return
    root = ctx.find_root()
    if "kg.progress" not in root.meta:
        from kg.terminal import TerminalText

        root.meta["kg.progress"] = view = ProgressView()
        root.call_on_close(view.close)
        for stream in (sys.stdout, sys.stderr):  # what the command prints starts on a line of its own
            if isinstance(stream, TerminalText):
                stream.before_write = view.close
    root.meta["kg.progress"](step)


def output_options(f):
    """The shared ``--format`` and ``--full`` options of every query command."""

    def set_full(ctx: click.Context, _param, value: bool) -> bool:
        ctx.meta["kg.full"] = value
        return value

    f = click.option(
        "--full",
        is_flag=True,
        expose_value=False,
        callback=set_full,
        help="Tables in a terminal: every column and whole quotes, wrapped, however wide (as piped).",
    )(f)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "json", "csv"]),
        default="table",
        show_default=True,
        help="Output format.",
    )(f)


def summary_format(f):
    """``--format table|json`` of the commands that do work (build, extract, view, push, …): a summary line for
    people, or the command's report as one JSON object on standard output."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "json"]),
        default="table",
        show_default=True,
        help="table: a summary line; json: the report as a JSON object on standard output.",
    )(f)


def emit_json(report: dict) -> None:
    """Write ``report`` as a JSON object on standard output (paths as text, Chinese as is)."""
    import json

    click.echo(json.dumps(report, ensure_ascii=False, indent=2, default=str))


def table_width() -> int | None:
    """The width tables are fitted to: the terminal's (``COLUMNS`` if set) when standard output is a
    terminal and the command offers ``--full`` but was not given it; ``None`` — the whole table — when it
    is a pipe or a file."""
    import shutil

    ctx = click.get_current_context(silent=True)
    # a command without --full would give no way to see it all
    offers_full = ctx is not None and any(p.name == "full" for p in ctx.command.params)
    if not offers_full or ctx.meta.get("kg.full") or not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def user_errors(f):
    """Turn library errors into one readable line and exit code 1.

    An error the library did not expect (an OSError, RocksDB's RuntimeError, SQLite's…)
    is first explained by the store when its current generation is damaged: the line then
    says so and how to recover, instead of reporting a bug.
    """

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except KgError as e:
            raise click.ClickException(str(e)) from None
        except OSError as e:
            raise click.ClickException(
                _store_damage() or f"{e.strerror or e}: {e.filename or ''}".rstrip(": ")
            ) from None
        except Exception:
            if damage := _store_damage():
                raise click.ClickException(damage) from None
            raise

    return wrapper


def _store_damage() -> str | None:
    """The one-line "store is damaged" message when the command's store is, else None.

    Never for `build`, which repairs it."""
    ctx = click.get_current_context(silent=True)
    config = ctx.find_object(Config) if ctx else None
    if config is None or config.backend != "store" or ctx.command.name == "build":
        return None
    from kg.errors import StoreDamaged
    from kg.stores.embedded import StoreDir

    try:
        what = StoreDir(config.store_path).check(deep=True)
    except Exception:  # noqa: BLE001 - a diagnosis must not hide the error it explains
        return None
    return str(StoreDamaged(config.store_path, what)) if what else None


def read_text(file) -> str:
    """All of an open text file (``-f FILE`` or stdin); a file that is not UTF-8 is a user error."""
    try:
        return file.read()
    except UnicodeDecodeError as e:
        name = getattr(file, "name", "the input")
        raise KgError(f"{name} is not UTF-8 ({e.reason} at byte {e.start}); save it as UTF-8") from None


def emit(report, fmt: str) -> None:
    from kg.render import render

    click.echo(render(report, fmt, width=table_width()))
    if report.empty:
        sys.exit(1)


@contextlib.contextmanager
def _terminal_safe_output():
    """Everything written to stdout and stderr meanwhile goes through :class:`kg.terminal.TerminalText`."""
    from kg.terminal import TerminalText

    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalText(out), TerminalText(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


class _Group(click.Group):
    """The `kg` group: what any command prints (answers, messages, usage errors) is terminal-safe."""

    def main(self, *args, **kwargs):
        with _terminal_safe_output():
            return super().main(*args, **kwargs)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--store",
    type=click.Path(path_type=Path),
    default=DEFAULT_STORE,
    show_default=True,
    envvar="KG_STORE",
    help="Store directory (env KG_STORE).",
)
@click.version_option(package_name="park-kg")
@click.pass_context
def cli(ctx: click.Context, store: Path) -> None:
    """park-kg: the organizations of an industrial park as a knowledge graph.

    Every answer carries the sentence it came from. Start with `kg build`, then ask
    `kg members 红领宁商`.
    """
    ctx.obj = Config(store)
    ctx.call_on_close(ctx.obj.close)


def whole_summaries(group: click.Group) -> None:
    """Each command's summary in ``--help`` is its help's first sentence, whole (click cuts it at the
    terminal's width with "..."; a summary set here is wrapped instead)."""
    import re

    for cmd in group.commands.values():
        if cmd.short_help is None and cmd.help:
            paragraph = " ".join(cmd.help.split("\n\n")[0].split())
            first = re.split(r"(?<!e\.g\.)(?<!i\.e\.)(?<=[.。])\s", paragraph, maxsplit=1)[0]
            cmd.short_help = first.rstrip(".")
        if isinstance(cmd, click.Group):
            whole_summaries(cmd)


def complete_names(ctx: click.Context, _param, incomplete: str) -> list[str]:
    """Shell completion for an entity name: the built store's names and aliases that start with (or
    hold) what was typed; nothing when there is no store."""
    import os

    from kg.text import name_key

    store = ctx.find_root().params.get("store") or os.environ.get("KG_STORE") or DEFAULT_STORE
    try:
        from kg.stores.embedded import EmbeddedStore

        index = EmbeddedStore(Path(store)).names
    except Exception:  # noqa: BLE001 - completion must never print a traceback into the shell
        return []
    key = name_key(incomplete)
    names = sorted({n for e in index.by_iri.values() for n in (e.name, *e.aliases) if n})
    return ([n for n in names if name_key(n).startswith(key)] or [n for n in names if key in name_key(n)])[:50]
