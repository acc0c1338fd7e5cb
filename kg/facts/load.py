"""Facts files read into typed records: YAML with line marks, every item checked, problems collected.

A facts file is YAML, one per source document (format: ``docs/model.md``). Every problem of
a facts directory is collected, as ``file:line: reason``, before :class:`FactsError` is
raised. A candidates file written by ``kg extract`` is a facts file with, on each item, a
``review`` state and the ``offsets`` of its quote, plus an ``extraction`` section; an item
marked ``rejected`` is refused unless the files are read as candidates.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from kg.facts.check import Known, check_across
from kg.facts.fields import (
    FIELDS,
    META_FIELDS,
    SECTIONS_ALLOWED,
    check_date,
    check_fields,
    check_text,
    control_problems,
    is_text,
)
from kg.facts.items import check_item
from kg.facts.marked import Map, read_yaml, too_big
from kg.facts.problems import FactsError, Problem, show
from kg.model.records import Facts, FactsFile, Source
from kg.progress import Progress, reporter

__all__ = ["load_facts", "load_files", "read_files", "check_read", "load_file", "facts_paths", "PARALLEL_FILES"]

#: facts files from which a load uses every core: below, starting processes costs more than it saves
PARALLEL_FILES = 32
_META_TEXT_KEYS = ("title", "outlet", "reporter", "language", "date_note", "note")


def facts_paths(facts_dir: Path) -> list[Path]:
    """The facts files of ``facts_dir`` (``*.yaml``, ``*.yml``) in name order."""
    return sorted(p for p in facts_dir.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_facts(
    facts_dir: Path, sources_dir: Path | None = None, *, candidates: bool = False, progress: Progress | None = None
) -> Facts:
    """Load and validate every ``*.yaml`` facts file in ``facts_dir``.

    ``sources_dir`` defaults to ``facts_dir/../sources``. Raises :class:`FactsError`
    listing every problem (file:line and reason) when anything is wrong. An item marked
    ``review: rejected`` is one of them, unless the files are ``candidates`` (``kg ingest``
    reading a reviewed candidates file, which leaves rejected items out).
    """
    facts_dir = Path(facts_dir)
    sources_dir = Path(sources_dir) if sources_dir else facts_dir.parent / "sources"
    if not facts_dir.is_dir():
        raise FactsError([Problem(facts_dir, 0, "facts directory not found")])
    paths = facts_paths(facts_dir)
    if not paths:
        raise FactsError([Problem(facts_dir, 0, "no *.yaml facts files in this directory")])
    files, entities, _types = load_files(paths, sources_dir, candidates=candidates, progress=progress)
    return Facts(files=files, entities=entities)


def load_files(
    paths: list[Path],
    sources_dir: Path,
    known: Known | None = None,
    *,
    candidates: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
):
    """Read and check ``paths`` against each other and ``known``: (files, entities defined, types of all).

    The one validation path of a full build (``known`` empty) and an incremental one (``known``:
    what the unchanged files define). Raises :class:`FactsError` with every problem. Files are
    read by ``workers`` processes (default: one per core for :data:`PARALLEL_FILES` files or more).
    """
    read = read_files(paths, sources_dir, candidates=candidates, progress=progress, workers=workers)
    return check_read(read, known, progress)


def read_files(
    paths: list[Path],
    sources_dir: Path,
    *,
    candidates: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
    background: bool = False,
) -> Iterator[tuple[FactsFile | None, list[Problem]]]:
    """Each file read and checked alone, in order, with its problems (then :func:`check_read` checks across).

    ``workers`` processes read them (default: one per core from :data:`PARALLEL_FILES` files on);
    ``background`` reads in other processes even with one worker, so the caller works meanwhile.
    """
    report = reporter(progress)
    done = 0
    n = _workers(len(paths), workers)
    for chunk in _chunks_loaded(paths, sources_dir, candidates, n, background or n > 1):
        yield from chunk
        done += len(chunk)
        report("loading facts", done, len(paths), "files")


def check_read(read, known: Known | None = None, progress: Progress | None = None):
    """The files of ``read`` (pairs of file and problems) checked across: (files, entities, types of all).

    Raises :class:`FactsError` with every problem, of the files alone and across them.
    """
    problems: list[Problem] = []
    files = []
    for ff, probs in read:
        problems += probs
        files += [ff] if ff else []
    reporter(progress)("checking references across files")
    entities, types, across = check_across(files, known)
    problems += across
    if problems:
        raise FactsError(problems)
    return files, entities, types


def _workers(n_files: int, workers: int | None) -> int:
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if n_files >= PARALLEL_FILES and hasattr(os, "sched_getaffinity") else 1
    return max(1, min(workers, n_files // 2))


def _load_chunk(paths: list[Path], sources_dir: Path, candidates: bool) -> list[tuple[FactsFile | None, list[Problem]]]:
    out = []
    for p in paths:
        problems: list[Problem] = []
        out.append((load_file(p, sources_dir, problems, candidates), problems))
    return out


def _chunks_loaded(paths: list[Path], sources_dir: Path, candidates: bool, n: int, pool: bool) -> Iterator[list]:
    """Each file loaded (with its problems), in order, a chunk at a time; by ``n`` forked processes if ``pool``."""
    size = max(1, min(16 if n > 1 else 2, len(paths) // (4 * n)))  # one worker feeds a busy caller: small chunks
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    if not pool:
        yield from (_load_chunk(c, sources_dir, candidates) for c in chunks)
        return
    # imported here: reading a few files (kg extract's graph names) uses no pool; the import was ~13 ms of its start
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(n, mp_context=get_context("fork")) as pool:
        yield from pool.map(_load_chunk, chunks, [sources_dir] * len(chunks), [candidates] * len(chunks))


def load_file(path: Path, sources_dir: Path, problems: list[Problem], candidates: bool = False) -> FactsFile | None:
    """One facts file as records, or None; its problems are added to ``problems``."""
    n = len(problems)
    data = read_yaml(path, problems)
    if len(problems) > n:
        return None
    if data is None:
        problems.append(Problem(path, 1, "empty facts file"))
        return None
    if not isinstance(data, Map):
        problems.append(Problem(path, 1, "a facts file must be a mapping with 'source' and 'entities'"))
        return None
    source = _file_source(data, path, sources_dir, problems)
    if source is None:
        return None
    sections = {}
    for sec in FIELDS:
        items = data.get(sec) or []
        if not isinstance(items, list):
            problems.append(Problem(path, data.line_of(sec), f"{sec} must be a list"))
            continue
        lines = getattr(items, "item_lines", [data.line_of(sec)] * len(items))
        checked = (
            check_item(sec, i, x, ln, path, source, problems, candidates) for i, (x, ln) in enumerate(zip(items, lines))
        )
        sections[sec] = tuple(r for r in checked if r is not None)
    return FactsFile(path, source, **sections)


def _file_source(data: Map, path: Path, sources_dir: Path, problems: list[Problem]) -> Source | None:
    """The whole-file checks (controls, sections) and the source document the file names."""
    control_problems(data, path, problems)
    for k in data:
        if k not in SECTIONS_ALLOWED:
            problems.append(
                Problem(path, data.line_of(k), f"unknown section {show(k)} (allowed: {', '.join(SECTIONS_ALLOWED)})")
            )
    if "extraction" in data and not isinstance(data["extraction"], dict):
        problems.append(
            Problem(path, data.line_of("extraction"), "extraction must be a mapping (written by kg extract)")
        )
    stem = data.get("source")
    if not is_text(stem):
        problems.append(Problem(path, data.line_of("source"), "missing 'source': the stem of seeds/sources/<stem>.txt"))
        return None
    if re.search(r"[/\\\x00\n]|^\.", stem) or len(stem.encode("utf-8")) > 200:
        problems.append(
            Problem(
                path,
                data.line_of("source"),
                f"source {show(stem)} must be the stem of a file in {sources_dir}, not a path",
            )
        )
        return None
    return load_source(str(stem), sources_dir, Problem(path, data.line_of("source"), ""), problems)


def load_source(stem: str, sources_dir: Path, where: Problem, problems: list[Problem]) -> Source | None:
    """The source document ``stem`` (text and checked metadata), or None; problems point at ``where``."""
    txt = sources_dir / f"{stem}.txt"
    meta_path = sources_dir / f"{stem}.meta.yaml"
    try:
        found = txt.is_file()
    except OSError as e:  # a name the file system refuses
        problems.append(Problem(where.path, where.line, f"source file {txt.name[:60]}…: {e.strerror}"))
        return None
    if not found:
        problems.append(Problem(where.path, where.line, f"source file {txt} not found"))
        return None
    if too_big(txt, problems, where):
        return None
    try:
        text = txt.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        problems.append(Problem(txt, 1, f"source is not UTF-8 ({e.reason} at byte {e.start})"))
        return None
    if not meta_path.is_file():
        problems.append(Problem(where.path, where.line, f"source metadata {meta_path} not found"))
        return None
    meta = _meta(meta_path, problems)
    return None if meta is None else Source(stem=stem, path=txt, text=text, **meta)


def _meta(meta_path: Path, problems: list[Problem]) -> dict | None:
    """The checked metadata of a source document (``<stem>.meta.yaml``), or None."""
    n = len(problems)
    meta = read_yaml(meta_path, problems)
    if len(problems) > n:
        return None
    if not isinstance(meta, Map):
        problems.append(Problem(meta_path, 1, "source metadata must be a mapping"))
        return None
    check_fields(meta, meta_path, "source metadata", META_FIELDS, problems)
    control_problems(meta, meta_path, problems, "source metadata")
    if "id" in meta and not (isinstance(meta["id"], str) and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", meta["id"])):
        problems.append(Problem(meta_path, meta.line_of("id"), "id must be a lowercase ASCII slug"))
    if meta.get("date") is not None:
        check_date(meta, "date", meta_path, problems)
    for key in _META_TEXT_KEYS:
        if meta.get(key) is not None:
            check_text(meta, key, meta_path, "source metadata", problems)
    if "id" not in meta:
        return None
    allowed = META_FIELDS[0] | META_FIELDS[1]
    return {k: v for k, v in meta.items() if k in allowed and v is not None}
