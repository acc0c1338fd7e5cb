"""What a build records of each document (``documents.json``, ``edges.json``, ``names.json``) and the counts.

Per facts file: the hashes of the file and of its source, the document's id, the entities
it defines and references, its edges and its counts. An incremental build reads this record
instead of the unchanged files.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from kg import __version__
from kg.build.compile import entity_iri
from kg.facts import REFS, Known
from kg.model.records import Entity, Facts, FactsFile

__all__ = [
    "DOCUMENTS",
    "EDGES",
    "ONTOLOGY_DIR",
    "sha",
    "base_hash",
    "source_paths",
    "document_record",
    "counts",
    "input_hash",
    "paths_hash",
    "write_extras",
    "write_json",
    "names_index",
    "name_entry",
    "known_from",
]

ONTOLOGY_DIR = (
    Path(__file__).resolve().parent.parent / "ontology"
)  # a link to the top-level ontology/, shipped as package data
DOCUMENTS = "documents.json"
EDGES = "edges.json"


def sha(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes() if p.is_file() else b"\0missing")
    return h.hexdigest()


def base_hash() -> str:
    """What every document's compiled form depends on: park-kg's version and the ontology."""
    h = hashlib.sha256(f"park-kg {__version__}".encode())
    for p in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def source_paths(sources_dir: Path, stem: str) -> tuple[Path, Path]:
    return sources_dir / f"{stem}.txt", sources_dir / f"{stem}.meta.yaml"


def _refs(ff: FactsFile) -> set[str]:
    refs = {
        r
        for sec, keys in REFS.items()
        for item in getattr(ff, sec)
        for k in keys
        if isinstance(r := getattr(item, k), str)
    }
    return refs | {s for c in ff.chains for s in c.stages}


def _edges(ff: FactsFile) -> list[list[str]]:
    """The entity-to-entity edges of the document as ``[s, o, status]`` (the path projection)."""
    out = [[m.member, m.organization, m.status] for m in ff.memberships]
    out += [[r.subject, r.object, r.status] for r in ff.relations if r.object is not None]
    out += [[a, b, "active"] for c in ff.chains for a, b in zip(c.stages, c.stages[1:])]
    return out


def document_record(ff: FactsFile, file_hash: str, sources_dir: Path, data_triples: int) -> dict[str, Any]:
    """The record of one document; ``data_triples`` counts its distinct quads."""
    ents = sorted(e.id for e in ff.entities)
    return {
        "file": ff.path.name, "hash": file_hash, "source": ff.source.stem,
        "source_hash": sha(*source_paths(sources_dir, ff.source.stem)), "doc": ff.source.id,
        "entities": ents, "refs": sorted(_refs(ff) - set(ents)), "edges": _edges(ff),
        "counts": {
            "entities_by_type": dict(Counter(t for e in ff.entities for t in e.types)),
            "memberships": dict(Counter(m.status for m in ff.memberships)),
            "relations": len(ff.relations), "chains": len(ff.chains), "indicators": len(ff.indicators),
            "data_triples": data_triples,  # a quote shared by statements yields its evidence quads once
        },
    }  # fmt: skip


def counts(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The counts of the manifest (and of ``kg build``'s summary line) over all documents."""
    by_type: Counter = Counter()
    by_status: Counter = Counter()
    for r in records:
        by_type.update(r["counts"]["entities_by_type"])
        by_status.update(r["counts"]["memberships"])
    total = {k: sum(r["counts"][k] for r in records) for k in ("relations", "chains", "indicators", "data_triples")}
    return {
        "documents": len(records),
        "entities": sum(len(r["entities"]) for r in records),
        "entities_by_type": dict(sorted(by_type.items())),
        "memberships": dict(sorted(by_status.items())),
        "relations": total["relations"],
        "chains": total["chains"],
        "indicators": total["indicators"],
        "statements": sum(by_status.values()) + total["relations"] + total["chains"] + total["indicators"],
        "data_triples": total["data_triples"],
    }


def input_hash(records: list[dict[str, Any]]) -> str:
    h = hashlib.sha256(base_hash().encode())
    for r in sorted(records, key=lambda r: r["file"]):
        h.update(f"{r['file']}\0{r['hash']}\0{r['source_hash']}\n".encode())
    return h.hexdigest()


def paths_hash(hashes: dict[str, str]) -> str:
    """A hash of the facts files (name → hash) and what every build depends on: names a new generation."""
    h = hashlib.sha256(base_hash().encode())
    for name in sorted(hashes):
        h.update(f"{name}\0{hashes[name]}\n".encode())
    return h.hexdigest()


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def write_extras(gen: Path, records: list[dict[str, Any]]) -> None:
    """``documents.json`` (per-document records) and ``edges.json`` (the path projection, by node index)."""
    records = sorted(records, key=lambda r: r["file"])
    write_json(gen / DOCUMENTS, {"version": 1, "base_hash": base_hash(), "documents": records})
    nodes: dict[str, int] = {}
    edges = []
    for r in records:
        for s, o, status in r["edges"]:
            edges.append(
                [nodes.setdefault(entity_iri(s), len(nodes)), nodes.setdefault(entity_iri(o), len(nodes)), status]
            )
    write_json(gen / EDGES, {"version": 1, "nodes": list(nodes), "edges": edges})


def name_entry(e: Entity) -> dict[str, Any]:
    """One entity of the name index."""
    return {
        "iri": entity_iri(e.id),
        "id": e.id,
        "name": e.name,
        "name_en": e.name_en,
        "aliases": sorted(e.aliases),  # RDF keeps no order; every backend sorts
        "types": list(e.types),
    }


def names_index(facts: Facts) -> dict[str, Any]:
    """The name index written beside the store: one entry per entity."""
    return {"version": 1, "entities": [name_entry(e) for _eid, e in sorted(facts.entities.items())]}


def known_from(records: list[dict[str, Any]], names: list[dict[str, Any]], facts_dir: Path) -> Known:
    """What the unchanged documents (their ``records``) define and use, for checking the changed ones."""
    kept = {eid for r in records for eid in r["entities"]}
    return Known(
        types={e["id"]: tuple(e["types"]) for e in names if e["id"] in kept},
        files={eid: Path(r["file"]) for r in records for eid in r["entities"]},
        docs={r["doc"]: Path(r["file"]) for r in records},
        refs=[(facts_dir / r["file"], r["refs"]) for r in records],
    )
