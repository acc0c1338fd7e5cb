"""A store generation: the Oxigraph store, the name index and the manifest, written beside the current one.

A build writes a new ``gen-*`` directory and swaps it in (:class:`~kg.stores.embedded.StoreDir`);
the manifest comes last, sealed, with the integrity record of every other file. An
incremental build starts from a RocksDB checkpoint of the current generation (hard links).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.build import documents
from kg.build.compile import doc_iri
from kg.build.documents import DOCUMENTS, base_hash, write_json
from kg.errors import FILE_ERRORS, storage_errors
from kg.model import terms as vocab
from kg.model.records import FactsFile
from kg.progress import Report
from kg.stores import counts, integrity
from kg.stores.embedded import StoreDir, read_manifest, verify_files

__all__ = [
    "Previous",
    "previous",
    "write_data",
    "write_names",
    "write_manifest",
    "copy_store",
    "read_names",
    "WRITE_STEP",
]

WRITE_STEP = 100_000  # quads between two progress reports while writing


@dataclass(slots=True)
class Previous:
    """The current generation, if a rebuild can start from it."""

    gen: Path
    manifest: dict[str, Any]
    records: dict[str, dict[str, Any]]  # by facts file name


def previous(sdir: StoreDir, note: Callable[[str], None]) -> Previous | None:
    """The current generation if it holds what its manifest says; None when a full build is due.

    Damage (``current`` leading nowhere, a manifest or recorded file that does not read as
    built) raises :class:`~kg.stores.embedded.StoreDamaged`. A store that something wrote to
    after its build (its RocksDB files are not the ones the build left) has its quads counted
    and hashed per graph; when they differ from the record, everything is rebuilt.
    """
    cur = sdir.target()
    if cur is None:
        return None
    manifest = read_manifest(sdir.path, cur)
    verify_files(sdir.path, cur, manifest)
    if "integrity" not in manifest:
        note("the store has no integrity record (built by an older park-kg): rebuilding it")
        return None
    with storage_errors(sdir.path, DOCUMENTS, FILE_ERRORS):
        data = json.loads((cur / DOCUMENTS).read_text(encoding="utf-8"))
        records = {r["file"]: r for r in data["documents"]}
    if data.get("base_hash") != base_hash():
        return None
    if integrity.written_since(cur, manifest["integrity"]) and not integrity.same_content(
        sdir.path, cur, manifest, note
    ):
        return None
    return Previous(cur, manifest, records)


def _counted(
    compiled: Iterable[tuple[FactsFile, list[ox.Quad]]],
    total: int,
    graphs: dict[str, list],
    triples: dict[str, int],
    predicates: Counter,
    report: Report,
) -> Iterator[ox.Quad]:
    """The quads of each document, in turn; its digest, distinct-quad and predicate counts recorded on the way."""
    done = shown = 0
    for ff, quads in compiled:
        distinct = list(set(quads))
        triples[ff.path.name] = len(distinct)
        if distinct:
            graphs[doc_iri(ff.source.id)] = integrity.graph_digest(distinct, doc_iri(ff.source.id))
        counts.count_predicates(distinct, predicates)
        yield from quads
        done += len(quads)
        if done - shown >= WRITE_STEP or done == total:
            report("writing quads", done, total or None, "quads")
            shown = done


def write_data(
    gen: Path, compiled: Iterable[tuple[FactsFile, list[ox.Quad]]], total: int, report: Report
) -> tuple[dict[str, list], dict[str, int], dict[str, Any] | None]:
    """Bulk-load the documents and the ontology into ``gen/oxigraph``, a document at a time.

    Returns the integrity record of each graph, each facts file's count of distinct quads and
    the counts ``kg stats`` shows (:mod:`kg.stores.counts`). ``total`` (quads, when known) is
    for progress only.
    """
    graphs: dict[str, list] = {}
    triples: dict[str, int] = {}
    predicates: Counter = Counter()
    store = ox.Store(str(gen / "oxigraph"))
    store.bulk_extend(_counted(compiled, total, graphs, triples, predicates, report))
    onto = ox.NamedNode(vocab.ONTOLOGY_IRI)
    store.bulk_load(path=str(documents.ONTOLOGY_DIR / "park.ttl"), format=ox.RdfFormat.TURTLE, to_graph=onto)
    store.flush()
    graphs.update(integrity.graph_digests(store.quads_for_pattern(None, None, None, onto)))
    classes = counts.class_counts(store)
    stats = None if classes is None else {"classes": classes, "predicates": {p.value: n for p, n in predicates.items()}}
    del store
    return dict(sorted(graphs.items())), triples, stats


def copy_store(sdir: StoreDir, prev: Previous, gen: Path) -> ox.Store:
    """A writable copy of the current generation's store in ``gen`` (a RocksDB checkpoint: hard links)."""
    with storage_errors(sdir.path, "oxigraph"):
        ox.Store.read_only(str(prev.gen / "oxigraph")).backup(str(gen / "oxigraph"))
    return ox.Store(str(gen / "oxigraph"))


def read_names(prev: Previous) -> dict[str, Any]:
    """The name index of the current generation."""
    with storage_errors(prev.gen.parent, "names.json", FILE_ERRORS):
        return json.loads((prev.gen / "names.json").read_text(encoding="utf-8"))


def write_manifest(
    gen: Path, manifest: dict[str, Any], graphs: dict[str, list], stats: dict[str, Any] | None = None
) -> None:
    """The manifest, last: with the counts of ``kg stats`` (when known), the integrity record of every
    other file of ``gen`` and its checksum."""
    manifest["counts"]["triples"] = sum(n for n, _digest in graphs.values())
    if stats is not None:
        manifest[counts.RECORD] = stats
    manifest["integrity"] = integrity.record(gen, graphs)
    integrity.seal(manifest)
    (gen / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


def write_names(gen: Path, index: dict[str, Any]) -> None:
    """``names.json`` and the same index as ``names.sqlite`` (see :mod:`kg.stores.namedb`)."""
    from kg.stores.namedb import write_names_db

    write_json(gen / "names.json", index)
    write_names_db(gen / "names.sqlite", index["entities"])
