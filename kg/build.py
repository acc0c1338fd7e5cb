"""Facts → RDF dataset → SHACL validation → a new store generation, swapped in atomically.

The RDF written here is specified in ``docs/model.md``. Every generated IRI (evidence,
membership, assertion, stage, indicator) is a hash of what identifies the statement, so
rebuilding the same facts gives the same graph.

A build is full or incremental. Beside the store, each generation keeps
``documents.json``: per facts file, the hashes of the file and of its source, the
document's id, the entities it defines and references, its edges and its counts. When
some facts files changed and most did not (same park-kg version and ontology), only the
changed files are read and validated — against the entities the others define, taken from
that record — and only their named graphs are replaced in a copy of the current store
(a RocksDB checkpoint: hard links, no data copied). SHACL runs on the changed documents
only (:mod:`kg.validate`); unchanged ones were validated when they were built. The result
is the store a full build would write (tests/test_synth.py holds them to it).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import __version__
from kg.model import terms as vocab
from kg.errors import KgError
from kg.facts import _REFS, Facts, FactsError, FactsFile, Problem, load_facts
from kg.stores import integrity
from kg.stores.embedded import DEFAULT_STORE, FILE_ERRORS, StoreDir, read_manifest, storage_errors, verify_files
from kg.text import find_quote
from kg.validate import ShaclError, validate_documents, validate_quads

__all__ = ["build", "compile_facts", "names_index", "shacl_validate", "BuildReport", "ShaclError", "ONTOLOGY_DIR"]

ONTOLOGY_DIR = Path(__file__).resolve().parent / "ontology"  # a link to the top-level ontology/, shipped as package data
ID = str(vocab.ID)
XSD = str(vocab.XSD)
Progress = Callable[[str], None]


@dataclass
class BuildReport:
    store: Path
    noop: bool
    seconds: float
    counts: dict[str, Any] = field(default_factory=dict)


def _h(*parts: Any) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:12]


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _zh(text: str) -> ox.Literal:
    return ox.Literal(text, language="zh")


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def _typed(value: Any, dt: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(XSD + dt))


def _decimal(v: int | float) -> str:
    """An xsd:decimal lexical form: no exponent (1e-07 → 0.0000001), at most 18 digits after the point."""
    if isinstance(v, int):
        return str(v)
    d = Decimal(repr(v))
    if d.as_tuple().exponent < -18:
        d = d.quantize(Decimal(1).scaleb(-18))
    return format(d, "f")


def _date(v: str) -> ox.Literal:
    return _typed(v, {4: "gYear", 7: "gYearMonth", 10: "date"}[len(v)])


def entity_iri(eid: str) -> str:
    return ID + eid


def doc_iri(doc_id: str) -> str:
    return ID + "doc/" + doc_id


P = vocab.PARK
RDF, RDFS, SKOS, ORG, PROV, DCT, SCHEMA = vocab.RDF, vocab.RDFS, vocab.SKOS, vocab.ORG, vocab.PROV, vocab.DCTERMS, vocab.SCHEMA
_MEMBERSHIP_SHORTCUTS = {
    "active": (ORG.memberOf, ORG.hasMember),
    "planned": (P.plannedMemberOf, P.plannedMember),
    "ended": (P.formerMemberOf, P.formerMember),
}


class _Compiler:
    """Turns one facts file into quads in its document's named graph."""

    def __init__(self, ff: FactsFile, facts: Facts):
        self.ff = ff
        self.facts = facts
        self.src = ff.source
        self.doc = doc_iri(self.src.id)
        self.g = _n(self.doc)
        self.quads: list[ox.Quad] = []

    def add(self, s: str, p: str, o: ox.NamedNode | ox.Literal | str) -> None:
        if isinstance(o, str):
            o = _n(o)
        self.quads.append(ox.Quad(_n(s), _n(p), o, self.g))

    def evidence(self, subject: str, quote: str) -> None:
        start, end = find_quote(self.src.text, quote)  # validated by load_facts
        ev = ID + "evidence/" + _h(self.src.id, start, end)
        self.add(ev, RDF.type, P.Evidence)
        self.add(ev, P.quote, _zh(quote))
        self.add(ev, DCT.source, self.doc)
        self.add(ev, P.startOffset, _typed(start, "integer"))
        self.add(ev, P.endOffset, _typed(end, "integer"))
        self.add(subject, PROV.wasDerivedFrom, ev)

    def common(self, node: str, item: dict) -> None:
        status = item.get("status", "active")
        self.add(node, P.status, getattr(P, status))
        if "date" in item:
            self.add(node, P.since, _date(item["date"]))
        if "note" in item:
            self.add(node, P.note, _zh(item["note"]))
        self.evidence(node, item["quote"])

    def document(self) -> None:
        m = self.src.meta
        d = self.doc
        self.add(d, RDF.type, P.SourceDocument)
        self.add(d, DCT.title, _zh(m["title"]))
        self.add(d, DCT.identifier, ox.Literal(m["id"]))
        self.add(d, P.fileName, ox.Literal(self.src.path.name))
        if m.get("title_is_descriptive"):
            self.add(d, P.titleIsDescriptive, _typed("true", "boolean"))
        if m.get("date"):
            self.add(d, DCT.date, _date(str(m["date"])))
        if m.get("reporter"):
            self.add(d, DCT.creator, _zh(m["reporter"]))
        if m.get("outlet"):
            self.add(d, DCT.publisher, _zh(m["outlet"]))
        if m.get("page"):
            self.add(d, SCHEMA.pagination, ox.Literal(str(m["page"])))
        if m.get("language"):
            self.add(d, DCT.language, ox.Literal(m["language"]))
        for key in ("date_note", "note"):
            if m.get(key):
                self.add(d, P.note, _zh(m[key]))

    def entities(self) -> None:
        for e in self.ff.entities:
            s = entity_iri(e["id"])
            for t in e["type"] if isinstance(e["type"], list) else [e["type"]]:
                self.add(s, RDF.type, vocab.ENTITY_CLASSES[t])
            self.add(s, RDFS.label, _zh(e["name"]))
            self.add(s, SKOS.prefLabel, _zh(e["name"]))
            if "name_en" in e:
                self.add(s, P.translatedLabel, _en(e["name_en"]))
            for a in e.get("aliases", []):
                self.add(s, SKOS.altLabel, _zh(a))
            if "note" in e:
                self.add(s, P.note, _zh(e["note"]))
            quotes = e["quote"] if isinstance(e["quote"], list) else [e["quote"]]
            for q in quotes:
                self.evidence(s, q)

    def memberships(self) -> None:
        for m in self.ff.memberships:
            member, org, status = entity_iri(m["member"]), entity_iri(m["organization"]), m["status"]
            node = ID + "membership/" + _h(member, org, status)
            self.add(node, RDF.type, ORG.Membership)
            self.add(node, ORG.member, member)
            self.add(node, ORG.organization, org)
            if "role" in m:
                self.add(node, P.role, _zh(m["role"]))
            self.common(node, m)
            up, down = _MEMBERSHIP_SHORTCUTS[status]
            self.add(member, up, org)
            self.add(org, down, member)

    def relations(self) -> None:
        for r in self.ff.relations:
            s, pred = entity_iri(r["subject"]), getattr(P, r["predicate"])
            o = _zh(r["value"]) if "value" in r else _n(entity_iri(r["object"]))
            status = r.get("status", "active")
            node = ID + "assertion/" + _h(s, pred, o.value, status)
            self.add(node, RDF.type, P.Assertion)
            self.add(node, RDF.subject, s)
            self.add(node, RDF.predicate, pred)
            self.add(node, RDF.object, o)
            self.common(node, r)
            if status == "active":
                self.add(s, pred, o)

    def chains(self) -> None:
        for c in self.ff.chains:
            chain = entity_iri(c["chain"])
            stages = [entity_iri(x) for x in c["stages"]]
            for pos, ent in enumerate(stages, 1):
                st = ID + "stage/" + _h(chain, pos)
                self.add(chain, P.hasStage, st)
                self.add(st, RDF.type, P.ChainStage)
                self.add(st, P.position, _typed(pos, "integer"))
                self.add(st, P.stageEntity, ent)
            for a, b in zip(stages, stages[1:]):
                self.add(a, P.nextInChain, b)
            if "note" in c:
                self.add(chain, P.note, _zh(c["note"]))
            self.evidence(chain, c["quote"])

    def indicators(self) -> None:
        for i in self.ff.indicators:
            about = entity_iri(i["about"])
            node = ID + "indicator/" + _h(about, i["metric"], i.get("period", ""), i["value"], i["unit"])
            self.add(node, RDF.type, P.Indicator)
            self.add(node, P.indicatorOf, about)
            self.add(node, P.metric, _zh(i["metric"]))
            if "metric_en" in i:
                self.add(node, P.metric, _en(i["metric_en"]))
            self.add(node, P.measure, getattr(P, i["measure"]))
            self.add(node, P.value, _typed(_decimal(i["value"]), "decimal"))
            self.add(node, P.unit, _zh(i["unit"]))
            if i.get("qualifier", "exact") != "exact":
                self.add(node, P.qualifier, _zh(i["qualifier"]))
            if "period" in i:
                self.add(node, P.period, _zh(i["period"]))
            for key, prop in (("period_start", P.periodStart), ("period_end", P.periodEnd)):
                if key in i:
                    self.add(node, prop, _date(i[key]))
            if "note" in i:
                self.add(node, P.note, _zh(i["note"]))
            self.evidence(node, i["quote"])

    def run(self) -> list[ox.Quad]:
        self.document()
        self.entities()
        self.memberships()
        self.relations()
        self.chains()
        self.indicators()
        return self.quads


def compile_facts(facts: Facts) -> Iterator[ox.Quad]:
    """All quads of the facts, one named graph per source document (ontology not included)."""
    for ff in facts.files:
        yield from _Compiler(ff, facts).run()


def _entry(eid: str, e: dict) -> dict[str, Any]:
    """One entity of the name index."""
    return {
        "iri": entity_iri(eid),
        "id": eid,
        "name": e["name"],
        "name_en": e.get("name_en"),
        "aliases": sorted(e.get("aliases", [])),  # RDF keeps no order; every backend sorts
        "types": _types(e),
    }


def _types(e: dict) -> list[str]:
    return e["type"] if isinstance(e["type"], list) else [e["type"]]


def names_index(facts: Facts) -> dict[str, Any]:
    """The name index written beside the store: one entry per entity."""
    return {"version": 1, "entities": [_entry(eid, e) for eid, e in sorted(facts.entities.items())]}


def shacl_validate(quads: list[ox.Quad]) -> None:
    """Validate the compiled quads plus the ontology against ``ontology/shapes.ttl``."""
    validate_quads(quads)


def _write_generation(gen: Path, quads: list[ox.Quad], index: dict, manifest: dict) -> None:
    store = ox.Store(str(gen / "oxigraph"))
    store.bulk_extend(quads)
    store.bulk_load(path=str(ONTOLOGY_DIR / "park.ttl"), format=ox.RdfFormat.TURTLE, to_graph=_n(vocab.ONTOLOGY_IRI))
    store.flush()
    graphs = integrity.graph_digests(set(quads))  # from memory: reading 1M quads back would take 20 s
    graphs.update(integrity.graph_digests(store.quads_for_pattern(None, None, None, _n(vocab.ONTOLOGY_IRI))))
    graphs = dict(sorted(graphs.items()))
    manifest["counts"]["triples"] = sum(n for n, _digest in graphs.values())
    del store
    _write_names(gen, index)
    _write_manifest(gen, manifest, graphs)


def _write_manifest(gen: Path, manifest: dict[str, Any], graphs: dict[str, list]) -> None:
    """The manifest, last: with the integrity record of every other file of ``gen`` and its checksum."""
    manifest["integrity"] = integrity.record(gen, graphs)
    integrity.seal(manifest)
    (gen / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


def _write_names(gen: Path, index: dict[str, Any]) -> None:
    """``names.json`` and the same index as ``names.sqlite`` (see :mod:`kg.stores.namedb`)."""
    from kg.stores.namedb import write_names_db

    _write_json(gen / "names.json", index)
    write_names_db(gen / "names.sqlite", index["entities"])


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


# --- what the build records of each document -------------------------------------------------

DOCUMENTS = "documents.json"
EDGES = "edges.json"


def _sha(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes() if p.is_file() else b"\0missing")
    return h.hexdigest()


def _base_hash() -> str:
    """What every document's compiled form depends on: park-kg's version and the ontology."""
    h = hashlib.sha256(f"park-kg {__version__}".encode())
    for p in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


def _source_paths(sources_dir: Path, stem: str) -> tuple[Path, Path]:
    return sources_dir / f"{stem}.txt", sources_dir / f"{stem}.meta.yaml"


def _refs(ff: FactsFile) -> set[str]:
    refs = {item[k] for sec, keys in _REFS.items() for item in getattr(ff, sec) for k in keys if isinstance(item.get(k), str)}
    return refs | {s for c in ff.chains for s in c["stages"]}


def _edges(ff: FactsFile) -> list[list[str]]:
    """The entity-to-entity edges of the document as ``[s, o, status]`` (the path projection)."""
    out = [[m["member"], m["organization"], m["status"]] for m in ff.memberships]
    out += [[r["subject"], r["object"], r.get("status", "active")] for r in ff.relations if "object" in r]
    out += [[a, b, "active"] for c in ff.chains for a, b in zip(c["stages"], c["stages"][1:])]
    return out


def _record(ff: FactsFile, file_hash: str, sources_dir: Path, quads: list[ox.Quad]) -> dict[str, Any]:
    ents = sorted(e["id"] for e in ff.entities)
    return {
        "file": ff.path.name, "hash": file_hash, "source": ff.source.stem,
        "source_hash": _sha(*_source_paths(sources_dir, ff.source.stem)), "doc": ff.source.id,
        "entities": ents, "refs": sorted(_refs(ff) - set(ents)), "edges": _edges(ff),
        "counts": {
            "entities_by_type": dict(Counter(t for e in ff.entities for t in _types(e))),
            "memberships": dict(Counter(m["status"] for m in ff.memberships)),
            "relations": len(ff.relations), "chains": len(ff.chains), "indicators": len(ff.indicators),
            "data_triples": len(set(quads)),  # a quote shared by statements yields its evidence quads once
        },
    }  # fmt: skip


def _counts(records: list[dict[str, Any]]) -> dict[str, Any]:
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


def _input_hash(records: list[dict[str, Any]]) -> str:
    h = hashlib.sha256(_base_hash().encode())
    for r in sorted(records, key=lambda r: r["file"]):
        h.update(f"{r['file']}\0{r['hash']}\0{r['source_hash']}\n".encode())
    return h.hexdigest()


def _write_extras(gen: Path, records: list[dict[str, Any]]) -> None:
    """``documents.json`` (per-document records) and ``edges.json`` (the path projection, by node index)."""
    records = sorted(records, key=lambda r: r["file"])
    _write_json(gen / DOCUMENTS, {"version": 1, "base_hash": _base_hash(), "documents": records})
    nodes: dict[str, int] = {}
    edges = []
    for r in records:
        for s, o, status in r["edges"]:
            edges.append([nodes.setdefault(entity_iri(s), len(nodes)), nodes.setdefault(entity_iri(o), len(nodes)), status])
    _write_json(gen / EDGES, {"version": 1, "nodes": list(nodes), "edges": edges})


def _class_iris(types: list[str]) -> list[str]:
    return [str(vocab.ENTITY_CLASSES[t]) for t in types if t in vocab.ENTITY_CLASSES]


# --- the build --------------------------------------------------------------------------------


@dataclass
class _Previous:
    """The current generation, if a rebuild can start from it."""

    gen: Path
    manifest: dict[str, Any]
    records: dict[str, dict[str, Any]]  # by facts file name


def _previous(sdir: StoreDir, say: Progress) -> _Previous | None:
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
        say("the store has no integrity record (built by an older park-kg): rebuilding it")
        return None
    with storage_errors(sdir.path, DOCUMENTS, FILE_ERRORS):
        data = json.loads((cur / DOCUMENTS).read_text(encoding="utf-8"))
        records = {r["file"]: r for r in data["documents"]}
    if data.get("base_hash") != _base_hash():
        return None
    if integrity.written_since(cur, manifest["integrity"]) and not integrity.same_content(sdir.path, cur, manifest, say):
        return None
    return _Previous(cur, manifest, records)


def _unchanged(prev: _Previous | None, name: str, file_hash: str, sources_dir: Path) -> bool:
    rec = prev.records.get(name) if prev else None
    return bool(rec and rec["hash"] == file_hash and rec["source_hash"] == _sha(*_source_paths(sources_dir, rec["source"])))


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
    reads everything).
    """
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    sdir = StoreDir(store)
    facts_dir = Path(facts_dir)
    sources = Path(sources_dir) if sources_dir else facts_dir.parent / "sources"
    paths = sorted(p for p in facts_dir.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()) if facts_dir.is_dir() else []
    with sdir.lock():
        prev = None if force else _previous(sdir, say)
        hashes = {p.name: _sha(p) for p in paths}
        changed = [p for p in paths if not _unchanged(prev, p.name, hashes[p.name], sources)]
        removed = sorted(set(prev.records) - set(hashes)) if prev else []
        if prev and paths and not changed and not removed:
            return BuildReport(store=sdir.path, noop=True, seconds=time.perf_counter() - t0, counts=prev.manifest["counts"])
        if prev and incremental and len(changed) + len(removed) <= len(paths) // 2:
            say(f"rebuilding {len(changed)} changed and {len(removed)} removed of {len(paths)} document(s)")
            counts = _rebuild(sdir, prev, changed, removed, hashes, sources, facts_dir, shacl, say)
        else:
            counts = _full(sdir, facts_dir, sources, sources_dir, hashes, shacl, say)
    return BuildReport(store=sdir.path, noop=False, seconds=time.perf_counter() - t0, counts=counts)


def _manifest(records: list[dict[str, Any]], facts_dir: Path) -> dict[str, Any]:
    return {"input_hash": _input_hash(records), "version": __version__, "facts_dir": str(facts_dir), "counts": _counts(records),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}


def _by_doc(quads: list[ox.Quad]) -> dict[str, list[ox.Quad]]:
    out: dict[str, list[ox.Quad]] = {}
    for q in quads:
        out.setdefault(q.graph_name.value, []).append(q)
    return out


def _full(sdir: StoreDir, facts_dir: Path, sources: Path, sources_dir, hashes: dict[str, str], shacl: bool, say: Progress) -> dict[str, Any]:
    say(f"loading facts from {facts_dir}")
    facts = load_facts(facts_dir, Path(sources_dir) if sources_dir else None)
    say("compiling RDF")
    quads = list(compile_facts(facts))
    docs = _by_doc(quads)
    index = names_index(facts)
    if shacl:
        say("validating with SHACL")
        types = {e["iri"]: _class_iris(e["types"]) for e in index["entities"]}
        validate_documents(docs, lambda iri: types.get(iri, ()), progress=say)
    records = [_record(ff, hashes[ff.path.name], sources, docs.get(doc_iri(ff.source.id), [])) for ff in facts.files]
    manifest = _manifest(records, facts_dir)
    say(f"writing store ({len(quads)} quads)")
    gen = sdir.new_generation(manifest["input_hash"])
    try:
        _write_extras(gen, records)
        _write_generation(gen, quads, index, manifest)
        sdir.swap(gen)
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise
    return manifest["counts"]


def _load_changed(paths: list[Path], sources: Path, prev: _Previous, removed: list[str], facts_dir: Path) -> tuple[list[FactsFile], dict[str, list[str]]]:
    """Read and validate the changed files against the entities the unchanged ones define.

    The same checks as :func:`kg.facts.load_facts` makes across files (ids, references,
    chains, source ids), with the unchanged files' side read from their records; raises
    :class:`FactsError` with every problem.
    """
    from kg.facts import _load_file, _show

    problems: list[Problem] = []
    files = [ff for p in paths if (ff := _load_file(p, sources, problems))]
    stale = {p.name for p in paths} | set(removed)
    kept = [r for name, r in prev.records.items() if name not in stale]
    with storage_errors(prev.gen.parent, "names.json", FILE_ERRORS):
        names = json.loads((prev.gen / "names.json").read_text(encoding="utf-8"))["entities"]
    gone = {eid for name in stale if name in prev.records for eid in prev.records[name]["entities"]}
    types = {e["id"]: e["types"] for e in names if e["id"] not in gone}
    defined_in = {eid: Path(r["file"]) for r in kept for eid in r["entities"]}
    docs = {r["doc"]: Path(r["file"]) for r in kept}
    for ff in files:
        if (other := docs.setdefault(ff.source.id, ff.path)) != ff.path:
            problems.append(Problem(ff.path, 1, f"source id {ff.source.id!r} is also used by {other}"))
        for e in ff.entities:
            if (first := defined_in.setdefault(e["id"], ff.path)) != ff.path:
                problems.append(Problem(ff.path, e.line_of("id"), f"duplicate entity id {_show(e['id'])} (also defined in {first})"))
            types[e["id"]] = _types(e)
    for ff in files:
        for sec, keys in _REFS.items():
            for item in getattr(ff, sec):
                for k in keys:
                    if k in item and (not isinstance(item[k], str) or item[k] not in types):
                        problems.append(Problem(ff.path, item.line_of(k), f"{sec}: {k} {_show(item[k])} is not a defined entity"))
        for ch in ff.chains:
            problems += [Problem(ff.path, ch.line_of("stages"), f"chains: stage {_show(s)} is not a defined entity") for s in ch["stages"] if s not in types]
            if isinstance(ch["chain"], str) and ch["chain"] in types and "IncubationChain" not in types[ch["chain"]]:
                problems.append(Problem(ff.path, ch.line_of("chain"), f"chains: {_show(ch['chain'])} is not an IncubationChain entity"))
    for r in kept:  # an unchanged file may refer to an entity that a changed file no longer defines
        problems += [Problem(facts_dir / r["file"], 1, f"refers to {_show(ref)}, which is no longer defined") for ref in r["refs"] if ref not in types]
    if problems:
        raise FactsError(problems)
    return files, types


def _rebuild(sdir: StoreDir, prev: _Previous, changed: list[Path], removed: list[str], hashes: dict[str, str], sources: Path,
             facts_dir: Path, shacl: bool, say: Progress) -> dict[str, Any]:
    say("loading changed facts")
    files, types = _load_changed(changed, sources, prev, removed, facts_dir)
    say("compiling RDF")
    docs = {doc_iri(ff.source.id): _Compiler(ff, None).run() for ff in files}
    if shacl:
        say("validating the changed documents with SHACL")
        validate_documents(docs, lambda iri: _class_iris(types.get(iri.removeprefix(ID), [])), progress=say)
    stale = {p.name for p in changed} | set(removed)
    records = [r for name, r in prev.records.items() if name not in stale]
    records += [_record(ff, hashes[ff.path.name], sources, docs[doc_iri(ff.source.id)]) for ff in files]
    manifest = _manifest(records, facts_dir)
    gone = {eid for name in stale if name in prev.records for eid in prev.records[name]["entities"]}
    with storage_errors(prev.gen.parent, "names.json", FILE_ERRORS):
        names = json.loads((prev.gen / "names.json").read_text(encoding="utf-8"))
    entries = {e["id"]: e for e in names["entities"] if e["id"] not in gone}
    entries.update({e["id"]: _entry(e["id"], e) for ff in files for e in ff.entities})
    names["entities"] = [entries[k] for k in sorted(entries)]
    gen = sdir.new_generation(manifest["input_hash"])
    try:
        say(f"copying the current store and replacing {len(stale)} document graph(s)")
        with storage_errors(sdir.path, "oxigraph"):
            ox.Store.read_only(str(prev.gen / "oxigraph")).backup(str(gen / "oxigraph"))
        store = ox.Store(str(gen / "oxigraph"))
        graphs = dict(prev.manifest["integrity"]["graphs"])
        for name in sorted(stale & set(prev.records)):
            g = _n(doc_iri(prev.records[name]["doc"]))
            graphs.pop(g.value, None)
            if store.contains_named_graph(g):
                store.remove_graph(g)
        store.extend(q for quads in docs.values() for q in quads)
        store.flush()
        for quads in docs.values():
            graphs.update(integrity.graph_digests(set(quads)))
        graphs = dict(sorted(graphs.items()))
        manifest["counts"]["triples"] = sum(n for n, _digest in graphs.values())
        del store
        _write_extras(gen, records)
        _write_names(gen, names)
        _write_manifest(gen, manifest, graphs)
        sdir.swap(gen)
    except BaseException:
        shutil.rmtree(gen, ignore_errors=True)
        raise
    return manifest["counts"]
