"""Compiled quads back to facts: the inverse of :mod:`kg.build`'s compiler, to check that nothing is lost.

:func:`decompile` reads the quads of the source documents' named graphs (``docs/model.md``)
and returns, per document id, the facts sections as plain dicts; :func:`canonical` puts
facts — read from YAML or decompiled — into one comparable form (defaults filled in,
lists that RDF does not order sorted, the review state and offsets of candidates
dropped, as the compiler drops them). ``canonical(decompile(compile(facts))) ==
canonical(facts)`` is the round trip the property tests hold the compiler to.

Two things the data model stores on the chain entity itself (its ``park:note`` and the
evidence of the chain's quote) come back as the entity's; the round trip holds for a chain
whose quote is its entity's quote and which has no note of its own.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from kg.facts.fields import CANDIDATE_FIELDS
from kg.model import terms as vocab

__all__ = ["decompile", "canonical", "SECTIONS"]

SECTIONS = ("entities", "memberships", "relations", "chains", "indicators")
_P, _ID = str(vocab.PARK), str(vocab.ID)
_RDF, _RDFS, _SKOS = str(vocab.RDF), str(vocab.RDFS), str(vocab.SKOS)
_ORG, _PROV, _DCT = str(vocab.ORG), str(vocab.PROV), str(vocab.DCTERMS)
_TYPE = _RDF + "type"
_CLASS_NAMES = {iri: name for name, iri in vocab.ENTITY_CLASSES.items()}


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def _id(iri: str) -> str:
    return iri[len(_ID):] if iri.startswith(_ID) else iri


def _number(lexical: str) -> int | float:
    return float(lexical) if any(c in lexical for c in ".eE") else int(lexical)


class _Graph:
    """One document's triples, by subject and predicate."""

    def __init__(self) -> None:
        self.po: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))

    def add(self, s: str, p: str, o) -> None:
        if o not in self.po[s][p]:  # a quad the compiler emitted twice (a store keeps it once)
            self.po[s][p].append(o)

    def values(self, s: str, p: str, lang: str | None = None) -> list[str]:
        return [o.value for o in self.po[s][p] if lang is None or getattr(o, "language", None) == lang]

    def one(self, s: str, p: str, lang: str | None = None) -> str | None:
        vs = self.values(s, p, lang)
        return vs[0] if vs else None

    def subjects(self, cls: str) -> list[str]:
        return sorted(s for s, po in self.po.items() if any(o.value == cls for o in po[_TYPE]))

    def quotes(self, s: str) -> list[str]:
        """The quotes of ``s``'s evidence, in the order they occur in the source text."""
        evs = [
            (int(self.one(ev, _P + "startOffset") or 0), self.one(ev, _P + "quote") or "")
            for ev in self.values(s, _PROV + "wasDerivedFrom")
        ]
        return [q for _, q in sorted(evs)]

    def common(self, s: str, item: dict[str, Any]) -> dict[str, Any]:
        item["status"] = _local(self.one(s, _P + "status") or "active")
        for key, prop in (("date", "since"), ("note", "note")):
            if (v := self.one(s, _P + prop)) is not None:
                item[key] = v
        item["quote"] = self.quotes(s)[0] if self.quotes(s) else None
        return item


def decompile(quads: Iterable) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Facts sections per document id (``xnbio-2024-07a``) from the quads of its named graph.

    ``quads`` are pyoxigraph quads (or anything with ``subject``, ``predicate``,
    ``object`` and ``graph_name``); the ontology's graph is ignored.
    """
    graphs: dict[str, _Graph] = defaultdict(_Graph)
    for q in quads:
        g = q.graph_name.value if hasattr(q.graph_name, "value") else ""
        if g.startswith(_ID + "doc/"):
            graphs[g[len(_ID + "doc/"):]].add(q.subject.value, q.predicate.value, q.object)
    return {doc: _document(g) for doc, g in sorted(graphs.items())}


def _document(g: _Graph) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {sec: [] for sec in SECTIONS}
    for s, po in sorted(g.po.items()):
        classes = [_CLASS_NAMES[o.value] for o in po[_TYPE] if o.value in _CLASS_NAMES]
        if not classes:
            continue
        e: dict[str, Any] = {
            "id": _id(s),
            "type": classes[0] if len(classes) == 1 else sorted(classes),
            "name": g.one(s, _SKOS + "prefLabel"),
        }
        if (en := g.one(s, _P + "translatedLabel")) is not None:
            e["name_en"] = en
        if aliases := g.values(s, _SKOS + "altLabel"):
            e["aliases"] = sorted(aliases)
        if (note := g.one(s, _P + "note")) is not None:
            e["note"] = note
        quotes = g.quotes(s)
        e["quote"] = quotes[0] if len(quotes) == 1 else quotes
        out["entities"].append(e)
        if stages := g.values(s, _P + "hasStage"):
            ordered = sorted(stages, key=lambda st: int(g.one(st, _P + "position")))
            out["chains"].append({"chain": _id(s), "stages": [_id(g.one(st, _P + "stageEntity")) for st in ordered],
                                  "quote": quotes[0] if len(quotes) == 1 else quotes})
    for m in g.subjects(_ORG + "Membership"):
        item = {"member": _id(g.one(m, _ORG + "member")), "organization": _id(g.one(m, _ORG + "organization"))}
        if (role := g.one(m, _P + "role")) is not None:
            item["role"] = role
        out["memberships"].append(g.common(m, item))
    for a in g.subjects(_P + "Assertion"):
        obj = g.po[a][_RDF + "object"][0]
        item = {"subject": _id(g.one(a, _RDF + "subject")), "predicate": _local(g.one(a, _RDF + "predicate"))}
        item.update({"value": obj.value} if hasattr(obj, "language") else {"object": _id(obj.value)})
        out["relations"].append(g.common(a, item))
    for i in g.subjects(_P + "Indicator"):
        item = {
            "about": _id(g.one(i, _P + "indicatorOf")),
            "metric": g.one(i, _P + "metric", "zh"),
            "measure": _local(g.one(i, _P + "measure")),
            "value": _number(g.one(i, _P + "value")),
            "unit": g.one(i, _P + "unit"),
            "qualifier": g.one(i, _P + "qualifier") or "exact",
        }
        for key, prop, lang in (
            ("metric_en", "metric", "en"),
            ("period", "period", None),
            ("period_start", "periodStart", None),
            ("period_end", "periodEnd", None),
            ("note", "note", None),
        ):
            if (v := g.one(i, _P + prop, lang)) is not None:
                item[key] = v
        item["quote"] = g.quotes(i)[0]
        out["indicators"].append(item)
    return out


def canonical(facts: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The sections of one facts file (YAML-loaded or decompiled) in a form two of them compare equal in.

    Defaults are filled in (status ``active``, qualifier ``exact``), dates and values become
    text and numbers as the store keeps them, lists RDF keeps unordered (types, aliases, an
    entity's quotes) are sorted, ``review``, ``offsets`` and ``confidence`` are dropped, and each section is
    sorted.
    """
    out: dict[str, list[dict[str, Any]]] = {}
    for sec in SECTIONS:
        items = []
        for raw in facts.get(sec) or []:
            item = {k: v for k, v in dict(raw).items() if k not in CANDIDATE_FIELDS}
            if sec in ("memberships", "relations"):
                item.setdefault("status", "active")
            if sec == "indicators":
                item.setdefault("qualifier", "exact")
                item["value"] = float(item["value"])
            for key in ("date", "period_start", "period_end"):
                if key in item:
                    item[key] = str(item[key])
            for key in ("type", "quote"):
                if isinstance(item.get(key), list):
                    item[key] = sorted(item[key]) if len(item[key]) > 1 else item[key][0]
            if "aliases" in item:
                item["aliases"] = sorted(item["aliases"])
                if not item["aliases"]:
                    del item["aliases"]
            items.append(item)
        out[sec] = sorted(items, key=lambda x: json.dumps(x, ensure_ascii=False, sort_keys=True))
    return out
