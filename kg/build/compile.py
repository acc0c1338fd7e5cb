"""Records → RDF quads: one named graph per source document (the mapping is ``docs/model.md``).

Every generated IRI (evidence, membership, assertion, stage, indicator) is a hash of what
identifies the statement, so compiling the same facts gives the same quads. A quote's
offsets come from the span the checker found (:mod:`kg.facts.items`): no quote is
searched for twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pyoxigraph as ox

from kg.model import terms as vocab
from kg.model.records import Facts, FactsFile
from kg.text import find_quote

__all__ = ["ID", "DocumentCompiler", "compile_file", "compile_facts", "entity_iri", "doc_iri", "class_iris"]

ID = str(vocab.ID)
XSD = str(vocab.XSD)


def _nodes(ns, names: str | list[str]) -> SimpleNamespace:
    """The terms ``names`` of the rdflib namespace ``ns`` as pyoxigraph nodes: made once, read as fast attributes."""
    names = names.split() if isinstance(names, str) else names
    return SimpleNamespace(**{n: ox.NamedNode(str(getattr(ns, n))) for n in names})


P = _nodes(vocab.PARK, [n for n in vocab.PARK.__annotations__ if not n.startswith("_")])
RDF = _nodes(vocab.RDF, "type subject predicate object")
RDFS = _nodes(vocab.RDFS, "label")
SKOS = _nodes(vocab.SKOS, "prefLabel altLabel")
ORG = _nodes(vocab.ORG, "Membership member organization memberOf hasMember")
PROV = _nodes(vocab.PROV, "wasDerivedFrom")
DCT = _nodes(vocab.DCTERMS, "source title identifier date creator publisher language")
SCHEMA = _nodes(vocab.SCHEMA, "pagination")
_MEMBERSHIP_SHORTCUTS = {
    "active": (ORG.memberOf, ORG.hasMember),
    "planned": (P.plannedMemberOf, P.plannedMember),
    "ended": (P.formerMemberOf, P.formerMember),
}
Term = ox.NamedNode | ox.Literal


def _h(*parts: Any) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:12]


def _zh(text: str) -> ox.Literal:
    return ox.Literal(text, language="zh")


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


_DATATYPES: dict[str, ox.NamedNode] = {}


def _typed(value: Any, dt: str) -> ox.Literal:
    node = _DATATYPES.get(dt) or _DATATYPES.setdefault(dt, ox.NamedNode(XSD + dt))
    return ox.Literal(str(value), datatype=node)


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


def class_iris(types) -> list[str]:
    """The class IRIs of an entity's types (local names, as the facts write them)."""
    return [str(vocab.ENTITY_CLASSES[t]) for t in types if t in vocab.ENTITY_CLASSES]


_CLASSES = {name: ox.NamedNode(str(iri)) for name, iri in vocab.ENTITY_CLASSES.items()}


class DocumentCompiler:
    """Turns one facts file into quads in its document's named graph."""

    def __init__(self, ff: FactsFile):
        self.ff = ff
        self.src = ff.source
        self.doc = doc_iri(self.src.id)
        self.g = ox.NamedNode(self.doc)
        self.quads: list[ox.Quad] = []

    def add(self, s: ox.NamedNode | str, p: ox.NamedNode, o: Term | str) -> None:
        if isinstance(o, str):
            o = ox.NamedNode(o)
        if isinstance(s, str):
            s = ox.NamedNode(s)
        self.quads.append(ox.Quad(s, p, o, self.g))

    def evidence(self, subject: str, quote: str, span: tuple[int, int] | None) -> None:
        start, end = span or find_quote(self.src.text, quote)  # found by the checker
        ev = ox.NamedNode(ID + "evidence/" + _h(self.src.id, start, end))
        self.add(ev, RDF.type, P.Evidence)
        self.add(ev, P.quote, _zh(quote))
        self.add(ev, DCT.source, self.doc)
        self.add(ev, P.startOffset, _typed(start, "integer"))
        self.add(ev, P.endOffset, _typed(end, "integer"))
        self.add(subject, PROV.wasDerivedFrom, ev)

    def common(self, node: str, item) -> None:
        self.add(node, P.status, getattr(P, item.status))
        if item.date is not None:
            self.add(node, P.since, _date(item.date))
        if item.note is not None:
            self.add(node, P.note, _zh(item.note))
        self.evidence(node, item.quote, item.span)

    def document(self) -> None:
        m, d = self.src, self.doc
        self.add(d, RDF.type, P.SourceDocument)
        self.add(d, DCT.title, _zh(m.title))
        self.add(d, DCT.identifier, ox.Literal(m.id))
        self.add(d, P.fileName, ox.Literal(self.src.path.name))
        if m.title_is_descriptive:
            self.add(d, P.titleIsDescriptive, _typed("true", "boolean"))
        if m.date:
            self.add(d, DCT.date, _date(str(m.date)))
        if m.reporter:
            self.add(d, DCT.creator, _zh(m.reporter))
        if m.outlet:
            self.add(d, DCT.publisher, _zh(m.outlet))
        if m.page:
            self.add(d, SCHEMA.pagination, ox.Literal(str(m.page)))
        if m.language:
            self.add(d, DCT.language, ox.Literal(m.language))
        for note in (m.date_note, m.note):
            if note:
                self.add(d, P.note, _zh(note))

    def entities(self) -> None:
        for e in self.ff.entities:
            s = ox.NamedNode(entity_iri(e.id))
            for t in e.types:
                self.add(s, RDF.type, _CLASSES[t])
            self.add(s, RDFS.label, _zh(e.name))
            self.add(s, SKOS.prefLabel, _zh(e.name))
            if e.name_en is not None:
                self.add(s, P.translatedLabel, _en(e.name_en))
            for a in e.aliases:
                self.add(s, SKOS.altLabel, _zh(a))
            if e.note is not None:
                self.add(s, P.note, _zh(e.note))
            spans = e.spans or (None,) * len(e.quotes)
            for q, span in zip(e.quotes, spans):
                self.evidence(s, q, span)

    def memberships(self) -> None:
        for m in self.ff.memberships:
            member, org, status = entity_iri(m.member), entity_iri(m.organization), m.status
            node = ox.NamedNode(ID + "membership/" + _h(member, org, status))
            self.add(node, RDF.type, ORG.Membership)
            self.add(node, ORG.member, member)
            self.add(node, ORG.organization, org)
            if m.role is not None:
                self.add(node, P.role, _zh(m.role))
            self.common(node, m)
            up, down = _MEMBERSHIP_SHORTCUTS[status]
            self.add(member, up, org)
            self.add(org, down, member)

    def relations(self) -> None:
        for r in self.ff.relations:
            s, pred = entity_iri(r.subject), getattr(P, r.predicate)
            o = _zh(r.value) if r.value is not None else ox.NamedNode(entity_iri(r.object))
            node = ox.NamedNode(ID + "assertion/" + _h(s, pred.value, o.value, r.status))
            self.add(node, RDF.type, P.Assertion)
            self.add(node, RDF.subject, s)
            self.add(node, RDF.predicate, pred)
            self.add(node, RDF.object, o)
            self.common(node, r)
            if r.status == "active":
                self.add(s, pred, o)

    def chains(self) -> None:
        for c in self.ff.chains:
            chain = entity_iri(c.chain)
            stages = [entity_iri(x) for x in c.stages]
            for pos, ent in enumerate(stages, 1):
                st = ox.NamedNode(ID + "stage/" + _h(chain, pos))
                self.add(chain, P.hasStage, st)
                self.add(st, RDF.type, P.ChainStage)
                self.add(st, P.position, _typed(pos, "integer"))
                self.add(st, P.stageEntity, ent)
            for a, b in zip(stages, stages[1:]):
                self.add(a, P.nextInChain, b)
            if c.note is not None:
                self.add(chain, P.note, _zh(c.note))
            self.evidence(chain, c.quote, c.span)

    def indicators(self) -> None:
        for i in self.ff.indicators:
            about = entity_iri(i.about)
            node = ox.NamedNode(ID + "indicator/" + _h(about, i.metric, i.period or "", i.value, i.unit))
            self.add(node, RDF.type, P.Indicator)
            self.add(node, P.indicatorOf, about)
            self.add(node, P.metric, _zh(i.metric))
            if i.metric_en is not None:
                self.add(node, P.metric, _en(i.metric_en))
            self.add(node, P.measure, getattr(P, i.measure))
            self.add(node, P.value, _typed(_decimal(i.value), "decimal"))
            self.add(node, P.unit, _zh(i.unit))
            if i.qualifier != "exact":
                self.add(node, P.qualifier, _zh(i.qualifier))
            if i.period is not None:
                self.add(node, P.period, _zh(i.period))
            for value, prop in ((i.period_start, P.periodStart), (i.period_end, P.periodEnd)):
                if value is not None:
                    self.add(node, prop, _date(value))
            if i.note is not None:
                self.add(node, P.note, _zh(i.note))
            self.evidence(node, i.quote, i.span)

    def run(self) -> list[ox.Quad]:
        self.document()
        self.entities()
        self.memberships()
        self.relations()
        self.chains()
        self.indicators()
        return self.quads


def compile_file(ff: FactsFile) -> list[ox.Quad]:
    """The quads of one facts file, in its document's named graph."""
    return DocumentCompiler(ff).run()


def compile_facts(facts: Facts) -> Iterator[ox.Quad]:
    """All quads of the facts, one named graph per source document (ontology not included)."""
    for ff in facts.files:
        yield from compile_file(ff)
