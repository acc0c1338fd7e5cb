"""A damaged store says so, and `kg build --force` repairs it (issue 13, item 9).

Every file of a built generation is truncated, has bytes flipped, is deleted, or is
replaced by a directory; so are the `current` link and the generation itself. Then

* a query command either answers exactly as before (the file was RocksDB's info log, an
  empty write-ahead log…) or prints one line, ``the store at … is damaged (…): run `kg
  build --force```, exit 1 — never a traceback or "internal error";
* `kg build` says the same line, or rebuilds, or finds the store up to date when the
  damage did not touch what it holds;
* `kg build --force` rebuilds, after which the query answers as before and `kg build` is a no-op.

The process runs under an address-space limit: pyoxigraph 0.5 evaluating a SPARQL join over
a table whose checksum fails collects the same error without end until memory runs out, so
a regression here must fail this test, not the machine.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import resource
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEEDS

from kg.cli import cli
from robustness.conftest import no_crash

DAMAGED = re.compile(r"Error: the store at (?P<store>.+) is damaged \((?P<what>.+)\): run `kg build --force`")
QUERY = ["members", "红领宁商", "--format", "json"]


@lru_cache(maxsize=1)
def _pristine() -> Path:
    """One store built from the seeds (no SHACL: the facts are the repository's), kept for the session."""
    from kg.build import build

    root = Path(tempfile.mkdtemp(prefix="kg-damaged-"))  # built at collection, when no tmp_path exists yet
    atexit.register(shutil.rmtree, root, True)
    build(SEEDS / "facts", root / "store", shacl=False)
    return root / "store"


def _files() -> list[str]:
    gen = (_pristine() / "current").resolve()
    return sorted(str(p.relative_to(gen)) for p in gen.rglob("*") if p.is_file())


def _kind(name: str) -> str:
    """A file's name with its numbers as #: RocksDB numbers its tables and logs as it goes, and two
    builds of the same facts (two xdist workers) need not number them alike."""
    return re.sub(r"\d+", "#", name)


def _pick(gen: Path, kind: str, which: str) -> str:
    """The first or last file (in name order) of a kind, in this generation."""
    names = sorted(n for n in (str(p.relative_to(gen)) for p in gen.rglob("*") if p.is_file()) if _kind(n) == kind)
    assert names, f"no file of the kind {kind} in {gen}"
    return names[0] if which == "first" else names[-1]


def _cases() -> list[tuple[str, str]]:
    """(kind@first|last, how): the same cases in every process, whatever numbers the store's files got."""
    gen = (_pristine() / "current").resolve()
    out = []
    for kind in sorted({_kind(n) for n in _files()}):
        empty = (gen / _pick(gen, kind, "first")).stat().st_size == 0
        for which in ("first", "last") if "#" in kind else ("first",):
            for how in ("truncate", "flip", "delete", "directory"):
                if how in ("truncate", "flip") and empty:
                    continue  # nothing to cut or flip in an empty file
                out.append((f"{kind}@{which}", how))
    return out


def _damage(path: Path, how: str) -> None:
    if how == "truncate":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif how == "flip":
        data = bytearray(path.read_bytes())
        mid = len(data) // 2
        for i in range(mid, min(len(data), mid + 8)):
            data[i] ^= 0xFF
        path.write_bytes(bytes(data))
    elif how == "delete":
        path.unlink()
    elif how == "directory":
        path.unlink()
        path.mkdir()
        (path / "x").write_text("x", encoding="utf-8")


@pytest.fixture(scope="module", autouse=True)
def memory_cap():
    """At most 3 GB more address space than now while these tests run (see the module docstring)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as f:
        used = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    cap = used + 3 * 2**30
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    yield
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.fixture(scope="module")
def expected() -> str:
    r = _kg(_pristine(), *QUERY)
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.fixture
def store(tmp_path) -> Path:
    """A copy of the pristine store (times kept, as the build recorded them)."""
    dst = tmp_path / "store"
    shutil.copytree(_pristine(), dst, symlinks=True)
    return dst


def _kg(store: Path, *args: str):
    return CliRunner().invoke(cli, ["--store", str(store), *args])


def _one_damaged_line(r, store: Path) -> str:
    no_crash(r.output)
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    lines = [ln for ln in r.stderr.splitlines() if not ln.startswith("… ")]
    assert r.exit_code == 1 and len(lines) == 1, r.output
    m = DAMAGED.fullmatch(lines[0])
    assert m and m["store"] == str(store), lines[0]
    return m["what"]


def _answers_or_says_damaged(store: Path, expected: str) -> str | None:
    """Run the query; return what is damaged, or None when it answered exactly as before."""
    r = _kg(store, *QUERY)
    if r.exit_code == 0:
        assert r.stdout == expected
        return None
    return _one_damaged_line(r, store)


def _build(store: Path, *args: str):
    return _kg(store, "build", "--facts", str(SEEDS / "facts"), "--no-shacl", *args)


def _repairs(store: Path, expected: str) -> None:
    r = _build(store, "--force")
    no_crash(r.output)
    assert r.exit_code == 0 and r.stdout.startswith(f"built {store}"), r.output
    assert _answers_or_says_damaged(store, expected) is None
    assert _build(store).stdout.startswith("up to date"), _build(store).output


def _build_copes(store: Path) -> None:
    """`kg build` without --force: the damaged line, a rebuild, or up to date when nothing that matters was touched."""
    r = _build(store)
    if r.exit_code == 0:
        no_crash(r.output)
        assert r.stdout.startswith(("up to date", f"built {store}")), r.output
    else:
        _one_damaged_line(r, store)


@pytest.mark.parametrize(("name", "how"), _cases(), ids=[f"{n}-{h}" for n, h in _cases()])
def test_damaged_file_of_a_generation(name: str, how: str, store: Path, expected: str):
    gen = (store / "current").resolve()
    kind, which = name.split("@")
    name = _pick(gen, kind, which)
    _damage(gen / name, how)
    what = _answers_or_says_damaged(store, expected)
    if not name.startswith("oxigraph/") or name.endswith(".sst") or name.startswith("oxigraph/MANIFEST-"):
        # our files, RocksDB's tables and the MANIFEST that lists them are checked
        assert what is not None, f"{name} {how}: the damage went unnoticed"
    _build_copes(store)
    _repairs(store, expected)


def _loop(store: Path) -> None:
    (store / "current").unlink()
    (store / "current").symlink_to("current")


def _loop_of_two(store: Path) -> None:
    (store / "current").unlink()
    (store / "current").symlink_to("other")
    (store / "other").symlink_to("current")


def _dangling(store: Path) -> None:
    gen = (store / "current").resolve()
    shutil.rmtree(gen)


def _link_to_elsewhere(store: Path) -> None:
    (store / "current").unlink()
    (store / "current").symlink_to("build.lock")


def _current_is_a_directory(store: Path) -> None:
    (store / "current").unlink()
    (store / "current").mkdir()
    (store / "current" / "manifest.json").write_text("{}", encoding="utf-8")


def _current_is_a_file(store: Path) -> None:
    (store / "current").unlink()
    (store / "current").write_text("gen-x\n", encoding="utf-8")


def _oxigraph_deleted(store: Path) -> None:
    shutil.rmtree((store / "current").resolve() / "oxigraph")


def _oxigraph_is_a_file(store: Path) -> None:
    ox_dir = (store / "current").resolve() / "oxigraph"
    shutil.rmtree(ox_dir)
    ox_dir.write_bytes(b"\0" * 100)


def _oxigraph_emptied(store: Path) -> None:
    ox_dir = (store / "current").resolve() / "oxigraph"
    for p in ox_dir.iterdir():
        p.unlink()


def _manifest_rewritten(store: Path) -> None:
    """Valid JSON with one count changed by hand: its checksum no longer matches."""
    path = (store / "current").resolve() / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["counts"]["triples"] += 1
    path.write_text(json.dumps(data), encoding="utf-8")


def _lock_is_a_directory(store: Path) -> None:
    (store / "build.lock").unlink()
    (store / "build.lock").mkdir()


def _stale_swap_link(store: Path) -> None:
    (store / f"current.{os.getpid()}.tmp").mkdir()


STORE_CASES = {
    "current-loops": _loop,
    "current-loops-through-another-link": _loop_of_two,
    "current-dangles": _dangling,
    "current-points-at-a-file": _link_to_elsewhere,
    "current-is-a-directory": _current_is_a_directory,
    "current-is-a-file": _current_is_a_file,
    "oxigraph-deleted": _oxigraph_deleted,
    "oxigraph-is-a-file": _oxigraph_is_a_file,
    "oxigraph-emptied": _oxigraph_emptied,
    "manifest-edited-by-hand": _manifest_rewritten,
}


@pytest.mark.parametrize("case", list(STORE_CASES))
def test_damaged_store_directory(case: str, store: Path, expected: str):
    STORE_CASES[case](store)
    assert _answers_or_says_damaged(store, expected) is not None
    _one_damaged_line(_build(store), store)
    _repairs(store, expected)


@pytest.mark.parametrize(
    "case", [_lock_is_a_directory, _stale_swap_link], ids=["lock-is-a-directory", "stale-swap-link-is-a-directory"]
)
def test_leftovers_a_build_replaces(case, store: Path, expected: str):
    case(store)
    assert _answers_or_says_damaged(store, expected) is None
    _build_copes(store)
    _repairs(store, expected)


@pytest.mark.parametrize(
    "command",
    [
        ("orgs",),
        ("show", "红领宁商"),
        ("memberships", "青海塞奇食品有限公司"),
        ("related", "红领宁商"),
        ("path", "红领宁商", "生物园区管委会"),
        ("chain", "孵化链"),
        ("stats",),
        ("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
    ],
    ids=lambda c: c[0],
)
@pytest.mark.parametrize("damage", ["flip-a-table", "truncate-names", "loop"])
def test_every_query_command_says_damaged(command, damage: str, store: Path):
    gen = (store / "current").resolve()
    if damage == "flip-a-table":
        _damage(max((gen / "oxigraph").glob("*.sst"), key=lambda p: p.stat().st_size), "flip")
    elif damage == "truncate-names":
        _damage(gen / "names.sqlite", "truncate")
    else:
        _loop(store)
    _one_damaged_line(_kg(store, *command), store)


def test_store_path_that_is_a_file_is_refused_not_replaced(tmp_path):
    f = tmp_path / "store"
    f.write_text("mine", encoding="utf-8")
    r = _build(f, "--force")
    assert r.exit_code == 1 and "is not a directory" in r.stderr, r.output
    assert f.read_text(encoding="utf-8") == "mine"
