"""``kg build``: facts → records → quads → SHACL → a new store generation, swapped in atomically.

A build is full or incremental. When some facts files changed and most did not (same
park-kg version and ontology), only the changed files are read and checked — by the same
path as a full build, against what the others define, taken from the last build's record
(:func:`kg.build.documents.known_from`) — and only their named graphs are replaced in a
copy of the current store. SHACL runs on the changed documents only. The result is the
store a full build would write (tests/test_synth.py holds them to it).
"""

from __future__ import annotations

import os
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import __version__
from kg.build import documents as dr
from kg.build import generation
from kg.build.compile import compile_file, doc_iri
from kg.build.shacl import check_documents
from kg.facts import facts_paths, load_files
from kg.facts.load import PARALLEL_FILES, check_read, read_files
from kg.model.records import Facts, FactsFile
from kg.progress import Progress, Report, notifier, reporter
from kg.stores.embedded import DEFAULT_STORE, StoreDir

__all__ = ["build", "BuildReport"]


@dataclass
class BuildReport:
    store: Path
    noop: bool
    seconds: float
    counts: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The report as ``kg build --format json`` prints it."""
        return {"store": self.store, "built": not self.noop, "seconds": round(self.seconds, 3), "counts": self.counts}

    def summary(self) -> str:
        """The line ``kg build`` ends with: what the store now holds."""
        c = self.counts
        if self.noop:
            triples = c.get("triples", "?")
            return f"up to date: {self.store} already holds these facts ({triples} triples); --force to rebuild"
        types = ", ".join(f"{k} {v}" for k, v in c["entities_by_type"].items())
        ms = ", ".join(f"{k} {v}" for k, v in c["memberships"].items())
        return (
            f"built {self.store} in {self.seconds:.2f} s: {c['documents']} document(s), {c['entities']} entities "
            f"({types}); "
            f"{c['statements']} statements: memberships ({ms}), {c['relations']} relations, {c['chains']} chain(s), "
            f"{c['indicators']} indicators; {c['triples']} triples"
        )


@dataclass(slots=True)
class _Job:
    """What one build works on."""

    sdir: StoreDir
    facts_dir: Path
    sources: Path
    hashes: dict[str, str]  # facts file name -> its hash
    shacl: bool
    progress: Progress | None
    report: Report


def build(
    facts_dir: Path | str = Path("seeds/facts"),
    store: Path | str = DEFAULT_STORE,
    *,
    sources_dir: Path | str | None = None,
    force: bool = False,
    shacl: bool = True,
    incremental: bool = True,
    progress: Progress | None = None,
) -> BuildReport:
    """Validate the facts, compile them, check SHACL, and swap in a new store generation.

    Nothing in ``store`` changes unless every step succeeds; with unchanged inputs (same
    facts, sources, ontology and park-kg version) the build is a no-op unless ``force``.
    When at most half of the facts files changed since the current generation, only those
    are read, validated (SHACL included) and replaced (``incremental=False`` or ``force``
    reads everything). ``progress`` receives a :class:`~kg.progress.Step` per phase.
    """
    t0 = time.perf_counter()
    facts_dir = Path(facts_dir)
    sources = Path(sources_dir) if sources_dir else facts_dir.parent / "sources"
    paths = facts_paths(facts_dir) if facts_dir.is_dir() else []
    job = _Job(StoreDir(store), facts_dir, sources, {}, shacl, progress, reporter(progress))
    with job.sdir.lock():
        prev = None if force else generation.previous(job.sdir, notifier(progress))
        job.hashes = {p.name: dr.sha(p) for p in paths}
        changed = [p for p in paths if not _unchanged(prev, p.name, job.hashes[p.name], sources)]
        removed = sorted(set(prev.records) - set(job.hashes)) if prev else []
        if prev and paths and not changed and not removed:
            return BuildReport(
                store=job.sdir.path, noop=True, seconds=time.perf_counter() - t0, counts=prev.manifest["counts"]
            )
        if prev and incremental and len(changed) + len(removed) <= len(paths) // 2:
            job.report(f"rebuilding {len(changed)} changed and {len(removed)} removed of {len(paths)} document(s)")
            counts = _rebuild(job, prev, changed, removed)
        else:
            counts = _full(job, paths)
    return BuildReport(store=job.sdir.path, noop=False, seconds=time.perf_counter() - t0, counts=counts)


def _unchanged(prev: generation.Previous | None, name: str, file_hash: str, sources_dir: Path) -> bool:
    rec = prev.records.get(name) if prev else None
    return bool(
        rec and rec["hash"] == file_hash and rec["source_hash"] == dr.sha(*dr.source_paths(sources_dir, rec["source"]))
    )


def _manifest(records: list[dict[str, Any]], facts_dir: Path) -> dict[str, Any]:
    return {
        "input_hash": dr.input_hash(records),
        "version": __version__,
        "facts_dir": str(facts_dir),
        "counts": dr.counts(records),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def _compiled(files: list[FactsFile], report: Report) -> Iterator[tuple[FactsFile, list[ox.Quad]]]:
    """Each file with its quads, compiled when asked for (so a build without SHACL holds one document at a time)."""
    for i, ff in enumerate(files, 1):
        yield ff, compile_file(ff)
        report("compiling", i, len(files), "documents")


def _checked(
    job: _Job, files: list[FactsFile], types: dict[str, tuple[str, ...]]
) -> list[tuple[FactsFile, list[ox.Quad]]] | Iterator:
    """The compiled files, validated with SHACL first when the job asks for it."""
    if not job.shacl:
        return _compiled(files, job.report)
    compiled = list(_compiled(files, job.report))
    job.report("SHACL", 0, sum(len(q) for _ff, q in compiled), "quads")
    check_documents({doc_iri(ff.source.id): quads for ff, quads in compiled}, types, job.progress)
    return compiled


def _full(job: _Job, paths: list[Path]) -> dict[str, Any]:
    if not job.shacl and len(paths) >= PARALLEL_FILES and _cores() > 1:
        return _overlapped(job, paths)
    files, entities, types = (
        load_files(paths, job.sources, progress=job.progress) if paths else _no_files(job.facts_dir)
    )
    index = dr.names_index(Facts(files, entities))
    compiled = _checked(job, files, types)
    records = [dr.document_record(ff, job.hashes[ff.path.name], job.sources, 0) for ff in files]
    gen = job.sdir.new_generation(dr.input_hash(records))
    try:
        total = sum(len(q) for _ff, q in compiled) if isinstance(compiled, list) else 0
        graphs, triples, stats = generation.write_data(gen, compiled, total, job.report)
        return _finish(job, gen, records, triples, index, graphs, stats)
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def _overlapped(job: _Job, paths: list[Path]) -> dict[str, Any]:
    """A full build without SHACL whose reading overlaps its writing: other processes read and check the
    files while this one compiles and writes those already read. A problem stops the writing (the files
    are still read, to report every problem) and the new generation is removed."""
    read: list[tuple[FactsFile | None, list]] = []

    def compiled() -> Iterator[tuple[FactsFile, list[ox.Quad]]]:
        clean = True
        reading = read_files(paths, job.sources, progress=job.progress, workers=_cores() - 1, background=True)
        for ff, problems in reading:
            read.append((ff, problems))
            clean = clean and not problems
            if clean and ff is not None:
                yield ff, compile_file(ff)

    gen = job.sdir.new_generation(dr.paths_hash(job.hashes))
    try:
        graphs, triples, stats = generation.write_data(gen, compiled(), 0, job.report)
        files, entities, _types = check_read(read, None, job.progress)
        records = [dr.document_record(ff, job.hashes[ff.path.name], job.sources, 0) for ff in files]
        return _finish(job, gen, records, triples, dr.names_index(Facts(files, entities)), graphs, stats)
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise


def _no_files(facts_dir: Path):
    from kg.facts import load_facts

    load_facts(facts_dir)  # raises: no facts directory, or no files in it
    raise AssertionError("unreachable")


def _finish(
    job: _Job,
    gen: Path,
    records: list[dict],
    triples: dict[str, int],
    index: dict,
    graphs: dict[str, list],
    stats: dict[str, Any] | None,
) -> dict[str, Any]:
    """Records, names and manifest into ``gen``, then the swap; the manifest's counts."""
    for r in records:
        if r["file"] in triples:
            r["counts"]["data_triples"] = triples[r["file"]]
    manifest = _manifest(records, job.facts_dir)
    dr.write_extras(gen, records)
    generation.write_names(gen, index)
    generation.write_manifest(gen, manifest, graphs, stats)
    job.sdir.swap(gen)
    return manifest["counts"]


def _rebuild(job: _Job, prev: generation.Previous, changed: list[Path], removed: list[str]) -> dict[str, Any]:
    stale = {p.name for p in changed} | set(removed)
    kept = [r for name, r in prev.records.items() if name not in stale]
    names = generation.read_names(prev)
    known = dr.known_from(kept, names["entities"], job.facts_dir)
    files, _entities, types = load_files(changed, job.sources, known, progress=job.progress)
    compiled = list(_checked(job, files, types))
    gone = {eid for name in stale if name in prev.records for eid in prev.records[name]["entities"]}
    entries = {e["id"]: e for e in names["entities"] if e["id"] not in gone}
    entries.update({e.id: dr.name_entry(e) for ff in files for e in ff.entities})
    names["entities"] = [entries[k] for k in sorted(entries)]
    records = kept + [dr.document_record(ff, job.hashes[ff.path.name], job.sources, len(set(q))) for ff, q in compiled]
    gen = job.sdir.new_generation(dr.input_hash(records))
    try:
        job.report(f"copying the current store and replacing {len(stale)} document graph(s)")
        graphs, stats = _replace_graphs(job.sdir, prev, gen, stale, compiled)
        return _finish(job, gen, records, {}, names, graphs, stats)
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise


def _replace_graphs(
    sdir: StoreDir, prev: generation.Previous, gen: Path, stale: set[str], compiled
) -> tuple[dict[str, list], dict[str, Any] | None]:
    """The current store copied into ``gen`` with the stale documents' graphs replaced; the new integrity
    record and ``kg stats``'s counts (the previous ones corrected by the graphs replaced)."""
    from kg.stores import counts, integrity

    store = generation.copy_store(sdir, prev, gen)
    graphs = dict(prev.manifest["integrity"]["graphs"])
    old = [doc_iri(prev.records[name]["doc"]) for name in sorted(stale & set(prev.records))]
    touched = set(old) | {doc_iri(ff.source.id) for ff, _quads in compiled}
    predicates = _recorded_predicates(store, prev.manifest)
    predicates.subtract(counts.graph_predicates(store, touched))
    for g in map(ox.NamedNode, old):
        graphs.pop(g.value, None)
        if store.contains_named_graph(g):
            store.remove_graph(g)
    store.extend(q for _ff, quads in compiled for q in quads)
    store.flush()
    predicates.update(counts.graph_predicates(store, touched))
    for ff, quads in compiled:
        if quads:
            graphs[doc_iri(ff.source.id)] = integrity.graph_digest(list(set(quads)), doc_iri(ff.source.id))
    classes = counts.class_counts(store)
    stats = None if classes is None else {"classes": classes, "predicates": {p: n for p, n in predicates.items() if n}}
    del store
    return dict(sorted(graphs.items())), stats


def _recorded_predicates(store: ox.Store, manifest: dict[str, Any]) -> Counter:
    """The previous build's predicate counts, or the store's own (a store built before they were recorded)."""
    from kg.stores import counts

    rec = manifest.get(counts.RECORD)
    return Counter(rec["predicates"] if isinstance(rec, dict) else counts.predicate_counts(store) or {})
