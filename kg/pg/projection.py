"""RDF triples → property graph: nodes with labels and properties, relationships with their statements' properties."""

from __future__ import annotations

import functools
import operator
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.model import classes
from kg.model.terms import CLASSES, PREFIXES
from kg.pg.mapping import (
    INVERSE_OF,
    INVERSES,
    LIST_KEYS,
    NATIVE,
    RDF_TYPE,
    compact,
    expand,
    local_name,
    prop_key,
    rel_type,
)

__all__ = ["PropertyGraph", "Projection", "to_property_graph", "by_predicate", "project"]


@dataclass
class PropertyGraph:
    """Nodes by IRI (labels, properties), relationships as (start IRI, TYPE, end IRI) with their
    derived properties, and the keys and types used (what ``kg export --format csv`` lists)."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rels: list[tuple[str, str, str]] = field(default_factory=list)
    rel_props: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    schema: list[dict[str, Any]] = field(default_factory=list)


_compact = functools.lru_cache(maxsize=65536)(compact)
_SUBJECT_OBJECT = operator.attrgetter("subject", "object")


def _literal_value(lit: ox.Literal) -> tuple[Any, str | None]:
    """(value, datatype CURIE or None when the Python type says it)."""
    if lit.language:
        return lit.value, None
    dt = lit.datatype.value
    if dt in NATIVE:
        conv = NATIVE[dt]
        try:
            return (lit.value == "true") if conv is bool else conv(lit.value), None
        except ValueError:
            pass
    return lit.value, _compact(dt)


@functools.lru_cache(maxsize=4096)
def _labels(types: tuple[str, ...]) -> tuple[str, ...]:
    labels = ["Resource"]
    for c in types:
        name = local_name(expand(c))
        for a in classes.ancestors(name) if name in CLASSES else [re.sub(r"\W", "_", name, flags=re.ASCII)]:
            if a not in labels:
                labels.append(a)
    return tuple(labels)


def _node_props(s: str, values: dict[str, list], dts: dict[str, str], types: list[str]) -> dict[str, Any]:
    node: dict[str, Any] = {"iri": s}
    for key, vs in values.items():
        if len(vs) > 1:
            vs.sort(key=lambda v: (type(v).__name__, str(v)))
        node[key] = vs if len(vs) > 1 or key in LIST_KEYS else vs[0]
    for key, dt in dts.items():
        node[f"{key}_dt"] = dt
    if types:
        node["types"] = types
    if "name_zh" in node:
        node["name"] = values["name_zh"][0]
    return node


def _one_way(links: set[tuple[str, str, str]], fold: bool) -> dict[tuple[str, str, str], str]:
    """Each (s, predicate, o) link → its stored type; a folded inverse is left out."""
    out = {}
    for s, p, o in links:
        if p in INVERSES:
            out[(s, p, o)] = rel_type(p) if (o, INVERSES[p], s) in links else compact(p)
        elif not (fold and p in INVERSE_OF and (o, INVERSE_OF[p], s) in links):
            out[(s, p, o)] = rel_type(p)
    return out


def to_property_graph(triples: Iterable, *, one_direction: bool = False) -> PropertyGraph:
    """Map triples (anything with .subject/.predicate/.object pyoxigraph terms) to a property graph.

    ``one_direction=True`` (what ``kg neo4j load`` stores) leaves out each inverse shortcut (``HAS_MEMBER``)
    whose forward one (``MEMBER_OF``) is there; by default every triple between two nodes is a relationship
    (the CSV and GraphML exports).
    """
    return project(by_predicate(triples), one_direction=one_direction)


def by_predicate(triples: Iterable) -> list[tuple[str, Iterable[tuple[Any, Any]]]]:
    """``triples`` as :func:`project` takes them: each predicate IRI with its (subject, object) pairs."""
    by_pred: dict[str, list] = defaultdict(list)
    for t in triples:
        by_pred[t.predicate.value].append(t)
    return [(p, map(_SUBJECT_OBJECT, ts)) for p, ts in by_pred.items()]


def project(groups: Iterable[tuple[str, Iterable[tuple[Any, Any]]]], *, one_direction: bool = False) -> PropertyGraph:
    """The property graph of triples grouped by predicate, as a store reads them cheaply: each predicate IRI with
    its (subject, object) pyoxigraph terms, one pair a triple (or a quad: a repeated one is a repeated value)."""
    proj = Projection()
    for p, pairs in groups:
        proj.add(p, pairs)
    return proj.relationships(proj.nodes(), one_direction)


class Projection:
    """A projection in stages: :meth:`add` each predicate's pairs, then :meth:`nodes` (complete once every
    predicate is added), then :meth:`relationships` — which a loader computes while the nodes are written."""

    def __init__(self) -> None:
        self.subjects: set[str] = set()
        self.props: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        self.dts: dict[str, dict[str, str]] = defaultdict(dict)
        self.types: dict[str, list[str]] = defaultdict(list)
        self.iris: list[tuple[str, str, str]] = []  # (s, p, IRI): a link if the IRI is a subject, else a property
        self.links: set[tuple[str, str, str]] = set()
        self.used: dict[str, tuple[str, str | None]] = {}

    def add(self, p: str, pairs: Iterable[tuple[Any, Any]]) -> None:
        """The (subject, object) pairs of predicate ``p``."""
        subject, types, iris, put = self.subjects.add, self.types, self.iris, self._put
        is_type, named, literal_t = p == RDF_TYPE, ox.NamedNode, ox.Literal
        keys: dict[str | None, str] = {}
        for s, o in pairs:
            s = s.value if type(s) is named else f"_:{s.value}"
            subject(s)
            if type(o) is literal_t:
                lang = o.language
                key = keys.get(lang) or keys.setdefault(lang, prop_key(p, lang))
                put(s, p, lang, key, *_literal_value(o))
            elif is_type and type(o) is named:
                types[s].append(o.value)
            else:
                iris.append((s, p, o.value if type(o) is named else f"_:{o.value}"))

    def _put(self, s: str, p: str, lang: str | None, key: str, value: Any, dt: str | None) -> None:
        self.used[key] = (p, lang)
        if dt and self.dts[s].setdefault(key, dt) != dt:
            raise ValueError(f"{s}: values of {p} have different datatypes ({self.dts[s][key]}, {dt})")
        self.props[s][key].append(value)

    def _settle(self) -> None:
        """Each IRI object a link (its IRI is a subject) or a property, once every subject is known."""
        subjects, links = self.subjects, self.links
        for s, p, oid in self.iris:
            if oid in subjects:
                links.add((s, p, oid))
            else:
                self._put(s, p, None, prop_key(p, None), _compact(oid), "@id")
        self.iris = []

    def nodes(self) -> PropertyGraph:
        """A property graph holding the nodes (properties and labels), sorted by IRI."""
        self._settle()
        pg, props, dts, types = PropertyGraph(), self.props, self.dts, self.types
        empty: dict = {}
        for s in sorted(self.subjects):
            ts = [_compact(c) for c in sorted(types.get(s, ()))]
            pg.nodes[s] = _node_props(s, props.get(s, empty), dts.get(s, empty), ts)
            pg.labels[s] = _labels(tuple(ts))
        return pg

    def relationships(self, pg: PropertyGraph, one_direction: bool) -> PropertyGraph:
        """``pg`` with its relationships (and their derived properties) and the schema."""
        props, links = self.props, self.links
        stored = _one_way(links, one_direction)
        pg.rels = sorted((s, typ, o) for (s, _, o), typ in stored.items())
        for link, props_ in _shortcut_props(props, links).items():
            if link in stored:
                pg.rel_props[(link[0], stored[link], link[2])] = props_
        rel_types = {typ: p for (_, p, _), typ in stored.items()}
        pg.schema = [
            {"kind": "prop", "key": k, "iri": p, "lang": lang or ""} for k, (p, lang) in sorted(self.used.items())
        ] + [{"kind": "rel", "key": typ, "iri": p, "lang": ""} for typ, p in sorted(rel_types.items())]
        return pg


_P, _ORG, _RDF = PREFIXES["park"], PREFIXES["org"], PREFIXES["rdf"]
_SHORTCUT = {"active": _ORG + "memberOf", "planned": _P + "plannedMemberOf", "ended": _P + "formerMemberOf"}


def _shortcut_props(
    props: dict[str, dict[str, list]], links: set[tuple[str, str, str]]
) -> dict[tuple[str, str, str], dict[str, Any]]:
    """(s, shortcut, o) → status, since, role, quote, source and IRI of the statement node behind it (of a value
    given twice, the node property's first)."""
    ends: dict[str, dict[str, str]] = defaultdict(dict)
    for s, p, o in links:  # a statement derived from two pieces of evidence: the first IRI (a set has no order)
        if o < ends[s].get(p, "\uffff"):
            ends[s][p] = o
    out: dict[tuple[str, str, str], dict[str, Any]] = {}
    for stmt in sorted(ends):
        e, v = ends[stmt], props.get(stmt, {})
        status = str(v.get("status", [""])[0]).rpartition(":")[2]
        if not status:
            continue
        if _ORG + "member" in e and _ORG + "organization" in e and status in _SHORTCUT:
            link = (e[_ORG + "member"], _SHORTCUT[status], e[_ORG + "organization"])
        elif _RDF + "subject" in e and _RDF + "object" in e and "predicate" in v:
            link = (e[_RDF + "subject"], expand(str(v["predicate"][0])), e[_RDF + "object"])
        else:
            continue
        r: dict[str, Any] = {"status": status, "statement": stmt}
        for key, name in (("since", "since"), ("role_zh", "role")):
            if key in v:
                r[name] = str(v[key][0])
        ev = e.get(PREFIXES["prov"] + "wasDerivedFrom", "")
        quote = props.get(ev, {}).get("quote_zh")
        source = props.get(ends.get(ev, {}).get(PREFIXES["dcterms"] + "source", ""), {}).get("fileName")
        r.update({"quote": quote[0]} if quote else {})
        r.update({"source": source[0]} if source else {})
        if link in links:
            out.setdefault(link, r)
    return out
