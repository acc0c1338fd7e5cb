"""Reviewed candidates → a facts file under ``seeds/facts/`` → a rebuilt graph.

:func:`ingest` takes a candidates file written by ``kg extract`` after review:

1. it checks the whole file before anything is written: its shape (``source`` a bare file
   name, ``extraction`` a mapping with the article's path and checksum), then, in a private
   staging directory, every item with :func:`kg.facts.load_facts` (problems as
   ``candidates.yaml:line``, never as a staging path);
2. keeps the items marked ``review: accepted`` (``accept_all``: the candidates too; rejected
   ones never), resolves new entities against the known ones and drops statements the facts
   already hold (:mod:`kg.workflows.ingest_select`);
3. composes the facts file — a new one, or the new items added to the existing file of that
   source in its own style, comments kept (:mod:`kg.facts.write`) — and validates the facts
   directory as it will be, still staged;
4. writes the facts file and, for a new article, its text and metadata under ``sources/``
   (each beside its target first, then renamed into place), then rebuilds the store from
   the facts directory. If the rebuild fails, the files are put back: the facts and the
   store agree after any failure.

It reads the candidates file, the facts and sources directories, and the article the
candidates name — only when that article has the checksum they record, so a candidates
file cannot make ingest copy any other file — and writes only inside the facts and sources
directories (links resolved: a linked facts file inside them has its target updated, one
leading outside is refused). With ``dry_run`` nothing is written; the report holds the diff.

Staging directories live in the system's temporary directory, named after the process that
made them (pid and start time); the next ingest removes those whose process is gone, and
the temporary and backup files a killed run left beside the facts.

The ingest lock is ``flock`` on the facts directory itself, not filelock: filelock cannot lock a
directory (IsADirectoryError), and a lock file would add a file to the user's facts directory.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from kg import files
from kg.errors import KgError
from kg.facts import FactsError, Problem, load_facts
from kg.facts.write import add_items, dump_items
from kg.progress import Progress, notifier
from kg.stores.embedded import DEFAULT_STORE, StoreDir
from kg.workflows.diff import DiffResult, diff
from kg.workflows.ingest_read import Candidates, check_shape, read_candidates, source_text
from kg.workflows.ingest_report import IngestReport
from kg.workflows.ingest_select import SECTIONS, final_items, resolve, select

__all__ = ["ingest", "diff", "IngestReport", "DiffResult"]

_STAGE = "kg-ingest-"
_CHECKED = "candidates.yaml"  # the name the candidates file is checked under, whatever its own


# ------------------------------------------------------------------------------ staging


class _Stage:
    """A private directory holding facts/ and sources/ as they will be after ingest, to validate them."""

    def __init__(self, facts_dir: Path, sources_dir: Path):
        self.facts_dir, self.sources_dir = facts_dir, sources_dir
        self.root = Path(tempfile.mkdtemp(prefix=f"{_STAGE}{files.owner_tag()}-"))
        self.facts, self.sources, self.check = self.root / "facts", self.root / "sources", self.root / "check"
        self.meta_from: Path | None = None  # the staged metadata that came from the candidates file
        for d in (self.facts, self.sources, self.check):
            d.mkdir()
        for src, dst, suffixes in ((sources_dir, self.sources, None), (facts_dir, self.facts, (".yaml", ".yml"))):
            if src.is_dir():
                for p in src.iterdir():
                    if p.is_file() and (suffixes is None or p.suffix in suffixes):
                        (dst / p.name).symlink_to(p.resolve())

    def __enter__(self) -> _Stage:
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def put(self, directory: Path, name: str, text: str) -> Path:
        p = directory / name
        if p.is_symlink() or p.exists():
            p.unlink()
        p.write_text(text, encoding="utf-8")
        return p

    def relocate(self, err: FactsError, c: Candidates, target: Path | None = None) -> FactsError:
        """The same problems, at the files the user has: the candidates file, the facts, the sources."""
        places = {
            self.check / _CHECKED: c.path,
            self.facts: self.facts_dir,
            self.sources: self.sources_dir,
            self.check: c.path.parent,
        }
        meta_lines = _key_lines(self.meta_from) if self.meta_from else {}
        out = []
        for p in err.problems:
            path, line, msg = p.path, p.line, p.message
            if self.meta_from is not None and path == self.meta_from:
                key = max((k for k, n in meta_lines.items() if n <= line), key=meta_lines.get, default=None)
                path, line, msg = (
                    c.path,
                    c.line(f"extraction.meta.{key}" if key else "extraction.meta"),
                    f"extraction.meta: {msg}",
                )
            elif target is not None and path == self.facts / target.name:
                path = target
            elif path in places:
                path = places[path]
            elif path.parent in places:
                path = places[path.parent] / path.name
            for staged, real in places.items():
                msg = msg.replace(str(staged), str(real))
            out.append(Problem(path, line, msg))
        return FactsError(out)


def _key_lines(path: Path) -> dict[str, int]:
    with contextlib.suppress(OSError, yaml.YAMLError):
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        if isinstance(node, yaml.MappingNode):
            return {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    return {}


def _remove_stale(facts_dir: Path, sources_dir: Path) -> None:
    """Remove what killed ingests left: staging directories whose process is gone, temporary and backup files."""
    for d in Path(tempfile.gettempdir()).glob(f"{_STAGE}*"):
        m = re.match(rf"{_STAGE}(\d+-\d+)-", d.name)
        if m and d.is_dir() and not d.is_symlink() and files.stale(m.group(1)):
            shutil.rmtree(d, ignore_errors=True)
    # Staging directories of kg versions before this one sat beside the facts directory; their ingest held
    # the lock on the facts directory that this one holds now, so none of them is in use.
    for d in facts_dir.parent.glob(".ingest-*"):
        if (
            re.fullmatch(r"\.ingest-[a-z0-9_]{8}", d.name)
            and d.is_dir()
            and not d.is_symlink()
            and {p.name for p in d.iterdir()} <= {"facts", "sources", "check"}
        ):
            shutil.rmtree(d, ignore_errors=True)
    for d in (facts_dir, sources_dir, *(p for p in facts_dir.rglob("*") if p.is_dir())):
        files.remove_stale(d)


# ------------------------------------------------------------------------------ writing


def _new_file(stem: str, items: dict[str, list[dict]], origin: str) -> str:
    parts = [
        f"# Ingested by `kg ingest` from {origin}; reviewed candidates of `kg extract`.\n",
        yaml.safe_dump({"source": stem}, allow_unicode=True),
    ]
    for sec in SECTIONS:
        if items[sec]:
            parts.append(f"\n{sec}:\n" + dump_items(items[sec], 2))
    return "".join(parts)


def _target(facts, facts_dir: Path, stem: str) -> tuple[Path, Path, bool]:
    """The facts file of ``stem`` (the existing one, else ``<stem>.yaml``), the real path to write, and whether it
    exists."""
    existing = next((ff.path for ff in facts.files if ff.source.stem == stem), None) if facts else None
    target = existing or facts_dir / f"{stem}.yaml"
    if existing is None and os.path.lexists(target):
        raise KgError(
            f"{target} already exists and is not the facts file of source {stem!r}; move it away, or give the "
            "candidates another source"
        )
    return target, files.inside(target, facts_dir, "facts directory"), existing is not None


def _commit(changes: files.FileChanges, store: Path, rebuild: Callable[[], Any]) -> Any:
    """Write the files, rebuild; if the rebuild fails, put the files back (the store is unchanged then)."""
    with StoreDir(store).lock():
        pass  # another build would rebuild from our files while we may still take them back: wait for it first
    try:
        changes.prepare()
    except OSError as e:
        raise KgError(f"cannot write {e.filename}: {e.strerror}; nothing was changed{_space(e)}") from None
    step = "putting the new files in place"
    try:
        changes.commit()
        step = "rebuilding the store"
        result = rebuild()
    except BaseException as e:
        try:
            changes.rollback()
        except OSError as r:
            first = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise KgError(
                f"{step} failed ({first}) and the facts could not be put back ({r.strerror}: {r.filename}): "
                "the facts directory holds the new facts; run kg build to bring the store to them"
            ) from None
        if isinstance(e, OSError):  # a file of the rebuild is one of a generation that no longer exists: name the store
            where = f" ({store if step.startswith('rebuilding') else e.filename})" if e.filename else ""
            raise KgError(
                f"{step} failed: {e.strerror or e}{where}; the facts were put back and the store is as it "
                f"was{_space(e)}"
            ) from None
        raise
    changes.finish()
    return result


def _space(e: OSError) -> str:
    return "; free some disk space and run again" if e.errno in (errno.ENOSPC, errno.EDQUOT) else ""


# ------------------------------------------------------------------------------ ingest


def ingest(
    candidates: Path | str,
    facts_dir: Path | str = Path("seeds/facts"),
    store: Path | str = DEFAULT_STORE,
    *,
    sources_dir: Path | str | None = None,
    accept_all: bool = False,
    dry_run: bool = False,
    shacl: bool = True,
    progress: Progress | None = None,
) -> IngestReport:
    """Validate a reviewed candidates file, add its accepted facts to ``facts_dir`` and rebuild ``store``.

    Nothing under ``facts_dir`` or ``sources_dir`` changes unless validation and the
    rebuild both succeed; with ``dry_run`` nothing changes at all and the report holds
    the diff the rebuild would make.
    """
    say = notifier(progress)
    facts_dir = Path(facts_dir)
    sources_dir = Path(sources_dir) if sources_dir else facts_dir.parent / "sources"
    c = read_candidates(Path(candidates))
    check_shape(c)
    if not facts_dir.is_dir():
        raise KgError(
            f"{facts_dir}: no such facts directory; check --facts (to start a new graph, create it first: mkdir -p "
            f"{facts_dir})"
        )
    say(f"validating {c.path}")
    with _ingest_lock(facts_dir):
        if not dry_run:
            _remove_stale(facts_dir, sources_dir)
        return _ingest(
            c,
            facts_dir,
            sources_dir,
            Path(store),
            accept_all=accept_all,
            dry_run=dry_run,
            shacl=shacl,
            progress=progress,
        )


@contextlib.contextmanager
def _ingest_lock(facts_dir: Path) -> Iterator[None]:
    """One ingest at a time per facts directory (a lock on the directory itself): each stages from
    the facts the previous one installed."""
    fd = os.open(facts_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise KgError(f"another kg ingest is adding to {facts_dir}; wait for it and run again") from None
        yield
    finally:
        os.close(fd)


def _ingest(c: Candidates, facts_dir: Path, sources_dir: Path, store: Path, *, accept_all: bool, dry_run: bool,
            shacl: bool, progress: Progress | None) -> IngestReport:
    say = notifier(progress)
    stem = c.data["source"]
    has_facts = any(p.suffix in (".yaml", ".yml") for p in facts_dir.iterdir())
    facts = load_facts(facts_dir, sources_dir) if has_facts else None
    text, meta = source_text(c, stem, sources_dir)
    meta_path = sources_dir / f"{stem}.meta.yaml"
    if text is None or os.path.lexists(meta_path):
        meta = None  # metadata already in sources/ is kept
    with _Stage(facts_dir, sources_dir) as stage:
        if text is not None:
            stage.put(stage.sources, f"{stem}.txt", text)
        if meta is not None:
            stage.meta_from = stage.put(stage.sources, meta_path.name, _meta_yaml(meta))
        _validate_alone(c, stage, facts)
        chosen, skipped = select(c.data, accept_all, c.path, c.where)
        if not any(chosen[s] for s in SECTIONS):
            raise KgError(
                f"nothing accepted in {c.path}: set `review: accepted` on the items to keep, or pass --accept-all"
            )
        renamed: dict[str, str] = {}
        mapping = resolve(chosen, facts, renamed, c.path, c.where)
        items, dups = final_items(chosen, mapping, facts, renamed)
        skipped.update(dups)
        target, real, content, notes = _facts_content(facts, facts_dir, stem, items, c.path.name)
        stage.put(stage.facts, target.name, content)
        try:
            load_facts(stage.facts, stage.sources)
        except FactsError as e:
            raise stage.relocate(e, c, target) from None
        added = {sec: len(items[sec]) for sec in SECTIONS}
        report = IngestReport(target, text is not None, added, mapping, skipped, dry_run, notes=notes,
                              sources=sources_dir)
        if dry_run:
            report.diff = diff(stage.facts, store, sources_dir=stage.sources)
            return report
        # the article first: a run killed half-way leaves no facts naming a missing source
        changes = files.FileChanges()
        if text is not None:
            changes.write(files.inside(sources_dir / f"{stem}.txt", sources_dir, "sources directory"), text)
        if meta is not None:
            changes.write(files.inside(meta_path, sources_dir, "sources directory"), _meta_yaml(meta))
        changes.write(real, content)
    from kg.build import build

    say("rebuilding the store")
    report.build = _commit(
        changes, store, lambda: build(facts_dir, store, sources_dir=sources_dir, shacl=shacl, progress=progress)
    )
    return report


def _meta_yaml(meta: dict) -> str:
    return yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)


def _facts_content(facts, facts_dir: Path, stem: str, items, origin: str) -> tuple[Path, Path, str, list[str]]:
    """The facts file the items go to, the real path to write, its new content, and notes."""
    target, real, exists = _target(facts, facts_dir, stem)
    if not exists:
        return target, real, _new_file(stem, items, origin), []
    content, rewritten = add_items(
        files.read_regular(real, "facts file").decode("utf-8"), items, f"added by `kg ingest` from {origin}"
    )
    notes = []
    if rewritten:
        notes.append(
            f"{target} was written out again whole (its YAML could not be added to in place): "
            "its comments were not kept"
        )
    return target, real, content, notes


def _validate_alone(c: Candidates, stage: _Stage, facts) -> None:
    """Check the candidates file itself (fields, quotes, types) so problems point at its own lines."""
    staged = stage.check / _CHECKED
    staged.write_text(files.read_regular(c.path, "candidates file").decode("utf-8"), encoding="utf-8")
    try:
        load_facts(stage.check, stage.sources, candidates=True)
    except FactsError as e:
        known = set(facts.entities) if facts else set()
        real = [p for p in e.problems if not _is_known_ref(p.message, known)]
        if real:
            raise stage.relocate(FactsError(real), c) from None
    finally:
        staged.unlink()


def _is_known_ref(message: str, known: set[str]) -> bool:
    return "is not a defined entity" in message and any(f"{k!r} is not a defined entity" in message for k in known)
