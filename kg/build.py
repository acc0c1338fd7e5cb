"""Facts → RDF dataset → SHACL validation → a new store generation, swapped in atomically.

The RDF written here is specified in ``docs/model.md``. Every generated IRI (evidence,
membership, assertion, stage, indicator) is a hash of what identifies the statement, so
rebuilding the same facts gives the same graph.
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

from kg import __version__, vocab
from kg.errors import KgError
from kg.facts import Facts, FactsFile, load_facts
from kg.stores.embedded import DEFAULT_STORE, StoreDir
from kg.text import find_quote

__all__ = ["build", "compile_facts", "BuildReport", "ShaclError", "ONTOLOGY_DIR"]

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ID = str(vocab.ID)
XSD = str(vocab.XSD)
Progress = Callable[[str], None]


class ShaclError(KgError):
    """The compiled graph violates the SHACL shapes."""


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


def names_index(facts: Facts) -> dict[str, Any]:
    """The name index written beside the store: one entry per entity."""
    entries = []
    for eid, e in sorted(facts.entities.items()):
        types = e["type"] if isinstance(e["type"], list) else [e["type"]]
        entries.append(
            {
                "iri": entity_iri(eid),
                "id": eid,
                "name": e["name"],
                "name_en": e.get("name_en"),
                "aliases": sorted(e.get("aliases", [])),  # RDF keeps no order; every backend sorts
                "types": types,
            }
        )
    return {"version": 1, "entities": entries}


def _input_hash(facts_dir: Path, facts: Facts) -> str:
    h = hashlib.sha256(f"park-kg {__version__}".encode())
    files = [ff.path for ff in facts.files]
    files += [p for ff in facts.files for p in (ff.source.path, ff.source.path.with_suffix(".meta.yaml"))]
    files += sorted(ONTOLOGY_DIR.glob("*.ttl"))
    for p in files:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def shacl_validate(quads: list[ox.Quad]) -> None:
    """Validate the compiled quads plus the ontology against ``ontology/shapes.ttl``."""
    import pyshacl
    from rdflib import Graph

    data = Graph()
    data.parse(ONTOLOGY_DIR / "park.ttl", format="turtle")
    nt = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads), format=ox.RdfFormat.N_TRIPLES)
    data.parse(data=nt.decode("utf-8"), format="nt")
    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    if not conforms:
        raise ShaclError("the compiled graph violates the SHACL shapes:\n" + text)


def _write_generation(gen: Path, quads: list[ox.Quad], index: dict, manifest: dict) -> None:
    store = ox.Store(str(gen / "oxigraph"))
    store.bulk_extend(quads)
    store.bulk_load(path=str(ONTOLOGY_DIR / "park.ttl"), format=ox.RdfFormat.TURTLE, to_graph=_n(vocab.ONTOLOGY_IRI))
    store.flush()
    manifest["counts"]["triples"] = len(store)
    del store
    (gen / "names.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    (gen / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")


def _counts(facts: Facts, quads: list[ox.Quad]) -> dict[str, Any]:
    by_type = Counter(t for e in facts.entities.values() for t in (e["type"] if isinstance(e["type"], list) else [e["type"]]))
    by_status = Counter(m["status"] for ff in facts.files for m in ff.memberships)
    c = facts.counts()
    return {
        "documents": len(facts.files),
        "entities": c["entities"],
        "entities_by_type": dict(sorted(by_type.items())),
        "memberships": dict(sorted(by_status.items())),
        "relations": c["relations"],
        "chains": c["chains"],
        "indicators": c["indicators"],
        "statements": sum(by_status.values()) + c["relations"] + c["chains"] + c["indicators"],
        "data_triples": len(set(quads)),  # a quote shared by statements yields its evidence quads once
    }


def build(
    facts_dir: Path | str = Path("seeds/facts"),
    store: Path | str = DEFAULT_STORE,
    *,
    sources_dir: Path | str | None = None,
    force: bool = False,
    shacl: bool = True,
    progress: Progress | None = None,
) -> BuildReport:
    """Validate the facts, compile them, check SHACL, and swap in a new store generation.

    Nothing in ``store`` changes unless every step succeeds; with unchanged inputs (same
    facts, sources, ontology and park-kg version) the build is a no-op unless ``force``.
    """
    say = progress or (lambda _msg: None)
    t0 = time.perf_counter()
    sdir = StoreDir(store)
    say(f"loading facts from {facts_dir}")
    facts = load_facts(Path(facts_dir), Path(sources_dir) if sources_dir else None)
    input_hash = _input_hash(Path(facts_dir), facts)
    with sdir.lock():
        current = sdir.manifest()
        if current and current.get("input_hash") == input_hash and not force:
            return BuildReport(store=sdir.path, noop=True, seconds=time.perf_counter() - t0, counts=current["counts"])
        say("compiling RDF")
        quads = list(compile_facts(facts))
        if shacl:
            say("validating with SHACL")
            shacl_validate(quads)
        counts = _counts(facts, quads)
        say(f"writing store ({len(quads)} quads)")
        gen = sdir.new_generation(input_hash)
        try:
            manifest = {"input_hash": input_hash, "version": __version__, "facts_dir": str(facts_dir), "counts": counts, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
            _write_generation(gen, quads, names_index(facts), manifest)
            sdir.swap(gen)
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)
            raise
    return BuildReport(store=sdir.path, noop=False, seconds=time.perf_counter() - t0, counts=counts)
