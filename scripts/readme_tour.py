"""Re-run the `$ kg …` examples in README.md and docs/ against the seed graph and rewrite their output.

    python scripts/readme_tour.py          # update README.md and the docs pages in place
    python scripts/readme_tour.py --check  # exit 1 if any example's output changed

Each example is a ```console block whose first line is `$ kg ARGS`; the rest of the block
is the command's output. Every page is read: README.md and docs/**/*.md (the tutorial, the
how-to guides, the query library…). tests/test_readme.py runs --check, so the outputs stay true.
Examples that need the Bolt server (`kg cypher …`, `--backend bolt`) run against a local
FalkorDB started for the purpose on free ports, loaded with the seed graph, then stopped.
"""

from __future__ import annotations

import argparse
import difflib
import re
import shlex
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def pages() -> list[Path]:
    """The files whose examples are kept true: the README and every page of the manual."""
    return [README, *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(r"```console\n\$ kg (?P<args>[^\n]*)\n(?P<out>.*?)```", re.S)


def run(args: str, store: Path, env: dict[str, str]) -> str:
    from kg.cli import cli

    r = CliRunner().invoke(cli, ["--store", str(store), *shlex.split(args)], catch_exceptions=False, env=env)
    return "\n".join(line.rstrip() for line in r.stdout.rstrip("\n").splitlines()) + "\n"


def rewrite(text: str, store: Path, env: dict[str, str] | None = None) -> str:
    return BLOCK.sub(lambda m: f"```console\n$ kg {m['args']}\n{run(m['args'], store, env or {})}```", text)


def _needs_bolt(text: str) -> bool:
    return any(m["args"].startswith(("cypher", "neo4j")) or "--backend bolt" in m["args"] for m in BLOCK.finditer(text))


def _with_graphdb(tmp: Path, store: Path, texts: list[str]) -> list[str]:
    from kg.graphdb import GraphDb, free_port
    from kg.stores.bolt import BoltConfig, load
    from kg.stores.embedded import EmbeddedStore

    db = GraphDb(tmp / "graphdb")
    st = db.start(port=free_port(), bolt_port=free_port())
    try:
        load(
            EmbeddedStore(store).data_quads(),
            BoltConfig(uri=st.bolt_uri, engine="falkordb", native_port=st.port),
            wipe=True,
        )
        env = {"KG_GRAPHDB_DIR": str(db.dir), "NEO4J_URI": st.bolt_uri}
        return [rewrite(text, store, env) for text in texts]
    finally:
        db.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    from kg.build import build

    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        build(ROOT / "seeds" / "facts", store)
        files = pages()
        texts = [f.read_text(encoding="utf-8") for f in files]
        if any(_needs_bolt(t) for t in texts):
            new = _with_graphdb(Path(tmp), store, texts)
        else:
            new = [rewrite(t, store) for t in texts]
    stale = [(f, old, fresh) for f, old, fresh in zip(files, texts, new) if old != fresh]
    if args.check:
        for f, old, fresh in stale:
            name = str(f.relative_to(ROOT))
            print(f"{name}: examples are out of date: run python scripts/readme_tour.py", file=sys.stderr)
            diff = difflib.unified_diff(old.splitlines(), fresh.splitlines(), name, f"{name} (now)", n=1, lineterm="")
            print("\n".join(list(diff)[:40]), file=sys.stderr)
        return 1 if stale else 0
    for f, old, fresh in zip(files, texts, new):
        if old != fresh:
            f.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
