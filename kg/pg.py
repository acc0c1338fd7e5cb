"""RDF ↔ property graph: the mapping behind the Bolt backend, reversible by construction.

Rules (documented for Cypher users in docs/cypher.md):

* every IRI (or blank node) that is the subject of a triple becomes a node with the labels
  ``Resource`` plus the local names of its classes and their superclasses (``Company``,
  ``FormalOrganization``, ``Organization``), and the properties ``iri`` and ``types`` (the
  asserted classes as CURIEs, e.g. ``park:Company``);
* a triple whose object is such a node becomes a relationship typed by the predicate's
  local name in UPPER_SNAKE case (``org:memberOf`` → ``MEMBER_OF``); a predicate outside
  park-kg's vocabulary (:data:`VOCAB`) keeps its CURIE or IRI as the type (```ex:knows```);
* one stored direction per relation (``one_direction=True``, as ``kg neo4j load`` does): a
  shortcut and its materialized inverse (``org:memberOf`` / ``org:hasMember``, :data:`INVERSES`)
  are one ``MEMBER_OF`` relationship; a shortcut whose inverse is missing keeps its CURIE as the type
  (```org:memberOf```), so reading back never invents a triple;
* a shortcut backed by a statement node (a membership, an assertion) carries that
  statement's ``status`` (``active``…), ``since``, ``role``, ``quote``, ``source`` and
  ``statement`` (its IRI) as relationship properties — derived, never read back;
* any other object becomes a node property keyed by the predicate's local name, with the
  language tag appended (``quote_zh``, ``metric_en``); ``skos:prefLabel@zh`` is ``name_zh``
  (and ``name``, its derived copy), ``park:translatedLabel@en`` is ``name_en`` and
  ``skos:altLabel@zh`` is the list ``aliases``. A predicate outside :data:`VOCAB` (or a
  language tag that is not two or three letters) is keyed ``<CURIE or IRI>@<lang>``.
  Repeated values become lists. Values whose type the property graph cannot carry
  (``xsd:decimal``, ``xsd:gYearMonth``, IRIs such as ``park:active``) are stored as text with a
  companion ``<key>_dt`` property holding the datatype CURIE (``@id`` for an IRI).

Keys and types are a function of the predicate alone, so :func:`to_triples` needs nothing
stored beside the graph (no bookkeeping nodes in ``MATCH (n)``).
"""

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
from kg.model.terms import CLASSES, PREFIXES, RELATIONS

__all__ = [
    "PropertyGraph",
    "to_property_graph",
    "project",
    "by_predicate",
    "Projection",
    "to_triples",
    "compact",
    "expand",
    "VOCAB",
    "INVERSES",
    "prop_key",
    "rel_type",
]

XSD = PREFIXES["xsd"]
RDF_TYPE = PREFIXES["rdf"] + "type"
_NATIVE = {XSD + "string": str, XSD + "integer": int, XSD + "boolean": bool, XSD + "double": float}
_PREFIX_ORDER = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def compact(iri: str) -> str:
    """``https://w3id.org/park-kg/ontology#active`` → ``park:active`` (unchanged if no prefix fits)."""
    for p, ns in _PREFIX_ORDER:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{p}:{iri[len(ns) :]}"
    return iri


def expand(curie: str) -> str:
    p, sep, rest = curie.partition(":")
    return PREFIXES[p] + rest if sep and p in PREFIXES else curie


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1] or iri


def _snake_upper(local: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", local).upper()


_PARK_PROPERTIES = (
    "distinction endOffset fileName formerMember formerMemberOf hasStage indicatorOf measure metric nextInChain "
    "note period periodEnd periodStart plannedMember plannedMemberOf position qualifier quote role since "
    "stageEntity startOffset status "
    "titleIsDescriptive translatedLabel unit value"
).split() + sorted(RELATIONS)
#: The predicates whose keys and types are their plain local names (each local name once).
VOCAB: tuple[str, ...] = tuple(
    dict.fromkeys(
        [PREFIXES["park"] + p for p in _PARK_PROPERTIES]
        + [PREFIXES["org"] + p for p in ("memberOf", "hasMember", "member", "organization", "role")]
        + [PREFIXES["skos"] + p for p in ("prefLabel", "altLabel", "definition")]
        + [
            PREFIXES["dcterms"] + p
            for p in ("source", "title", "date", "creator", "identifier", "language", "publisher")
        ]
        + [PREFIXES["rdf"] + p for p in ("subject", "predicate", "object")]
        + [PREFIXES["rdfs"] + "label", PREFIXES["prov"] + "wasDerivedFrom", PREFIXES["schema"] + "pagination"]
    )
)
_BY_LOCAL: dict[str, str] = {}
for _p in VOCAB:
    _BY_LOCAL.setdefault(_local(_p), _p)  # org:role after park:role: the first one keeps the plain key
_VOCAB = frozenset(_BY_LOCAL.values())
_BY_TYPE = {_snake_upper(_local(p)): p for p in _VOCAB}
#: Shortcut → its materialized inverse: stored once, in the shortcut's direction.
INVERSES = {
    PREFIXES["org"] + "memberOf": PREFIXES["org"] + "hasMember",
    PREFIXES["park"] + "plannedMemberOf": PREFIXES["park"] + "plannedMember",
    PREFIXES["park"] + "formerMemberOf": PREFIXES["park"] + "formerMember",
}
_INVERSE_OF = {v: k for k, v in INVERSES.items()}
_SPECIAL = {
    (PREFIXES["skos"] + "prefLabel", "zh"): "name_zh",
    (PREFIXES["park"] + "translatedLabel", "en"): "name_en",
    (PREFIXES["skos"] + "altLabel", "zh"): "aliases",
}
_SPECIAL_KEYS = {v: k for k, v in _SPECIAL.items()}
LIST_KEYS = frozenset({"aliases", "types"})
_DERIVED = frozenset({"iri", "types", "name"})  # not a predicate's key
_LANG = re.compile(r"[a-z]{2,3}")


@functools.lru_cache(maxsize=4096)
def prop_key(pred: str, lang: str | None) -> str:
    """The node property key of ``pred`` with language ``lang`` (a function of the two alone).

    >>> prop_key("https://w3id.org/park-kg/ontology#quote", "zh"), prop_key("http://example.org/p", None)
    ('quote_zh', 'http://example.org/p@')
    """
    if (pred, lang) in _SPECIAL:
        return _SPECIAL[(pred, lang)]
    if pred in _VOCAB and (lang is None or (_LANG.fullmatch(lang) and lang != "dt")):
        return _local(pred) + (f"_{lang}" if lang else "")
    return f"{compact(pred)}@{lang or ''}"


def _prop_of(key: str, where: str) -> tuple[str, str | None]:
    if key in _SPECIAL_KEYS:
        return _SPECIAL_KEYS[key]
    if ":" in key:
        pred, _, lang = key.rpartition("@")
        return expand(pred), lang or None
    if key in _BY_LOCAL:
        return _BY_LOCAL[key], None
    local, _, lang = key.rpartition("_")
    if local in _BY_LOCAL and _LANG.fullmatch(lang):
        return _BY_LOCAL[local], lang
    raise ValueError(f"property {key!r} of {where} is not a key of park-kg's mapping (kg/pg.py)")


@functools.lru_cache(maxsize=4096)
def rel_type(pred: str) -> str:
    """The relationship type of ``pred``: UPPER_SNAKE for park-kg's vocabulary, else its CURIE or IRI."""
    return _snake_upper(_local(pred)) if pred in _VOCAB else compact(pred)


def _preds_of(typ: str) -> tuple[str, ...]:
    pred = _BY_TYPE.get(typ) or expand(typ)
    if ":" not in pred:
        raise ValueError(f"relationship type {typ!r} is not a type of park-kg's mapping (kg/pg.py)")
    return (pred, INVERSES[pred]) if typ in _BY_TYPE and pred in INVERSES else (pred,)


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
    if dt in _NATIVE:
        conv = _NATIVE[dt]
        try:
            return (lit.value == "true") if conv is bool else conv(lit.value), None
        except ValueError:
            pass
    return lit.value, _compact(dt)


@functools.lru_cache(maxsize=4096)
def _labels(types: tuple[str, ...]) -> tuple[str, ...]:
    labels = ["Resource"]
    for c in types:
        name = _local(expand(c))
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
        elif not (fold and p in _INVERSE_OF and (o, _INVERSE_OF[p], s) in links):
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
        is_type, named, literal_t, keys = p == RDF_TYPE, ox.NamedNode, ox.Literal, {}
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
        pg, props, dts, types, empty = PropertyGraph(), self.props, self.dts, self.types, {}
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


def _node(ident: str):
    return ox.BlankNode(ident[2:]) if ident.startswith("_:") else ox.NamedNode(ident)


def _object(v: Any, lang: str | None, dt: str | None):
    if dt == "@id":
        return _node(expand(v))
    if dt:
        return ox.Literal(str(v), datatype=ox.NamedNode(expand(dt)))
    if lang:
        return ox.Literal(v, language=lang)
    if isinstance(v, bool):
        return ox.Literal("true" if v else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(v, int):
        return ox.Literal(str(v), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(v, float):
        return ox.Literal(repr(v), datatype=ox.NamedNode(XSD + "double"))
    return ox.Literal(str(v))


def to_triples(
    nodes: Iterable[dict[str, Any]], rels: Iterable[tuple[str, str, str]], schema: Iterable[dict[str, Any]] = ()
) -> list[ox.Triple]:
    """Rebuild the RDF triples from node property maps and relationships (``schema`` is not needed; accepted
    for callers that read it from a CSV export)."""
    out: dict[ox.Triple, None] = {}
    for n in nodes:
        s = _node(n["iri"])
        for c in n.get("types") or []:
            out[ox.Triple(s, ox.NamedNode(RDF_TYPE), ox.NamedNode(expand(c)))] = None
        for key, value in n.items():
            if key in _DERIVED or key.endswith("_dt") and key[:-3] in n:
                continue
            pred, lang = _prop_of(key, n["iri"])
            dt = n.get(f"{key}_dt")
            for v in value if isinstance(value, list) else [value]:
                out[ox.Triple(s, ox.NamedNode(pred), _object(v, lang, dt))] = None
    for a, t, b in rels:
        preds = _preds_of(t)
        out[ox.Triple(_node(a), ox.NamedNode(preds[0]), _node(b))] = None
        for inv in preds[1:]:
            out[ox.Triple(_node(b), ox.NamedNode(inv), _node(a))] = None
    return list(out)
