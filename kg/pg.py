"""RDF ↔ property graph: the mapping behind the Bolt backend, reversible by construction.

Rules (documented for Cypher users in docs/cypher.md):

* every IRI (or blank node) that is the subject of a triple becomes a node with the labels
  ``Resource`` plus the local names of its classes and their superclasses (``Company``,
  ``FormalOrganization``, ``Organization``), and the properties ``iri`` and ``types`` (the
  asserted classes as CURIEs, e.g. ``park:Company``);
* a triple whose object is such a node becomes a relationship typed by the predicate's
  local name in UPPER_SNAKE case (``org:memberOf`` → ``MEMBER_OF``, ``prov:wasDerivedFrom``
  → ``WAS_DERIVED_FROM``);
* any other object becomes a node property keyed by the predicate's local name, with the
  language tag appended (``quote_zh``, ``metric_en``); ``skos:prefLabel@zh`` is ``name_zh``,
  ``park:translatedLabel@en`` is ``name_en`` and ``skos:altLabel@zh`` is the list
  ``aliases``. Repeated values become lists. Values whose type the property graph cannot
  carry (``xsd:decimal``, ``xsd:gYearMonth``, IRIs of vocabulary terms such as
  ``park:active``) are stored as text with a companion ``<key>_dt`` property holding the
  datatype CURIE (``@id`` for an IRI);
* the key and relationship-type assignments are written into the graph as ``KgSchema``
  nodes, so :func:`to_triples` can rebuild the original RDF graph exactly.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.model import classes
from kg.model.terms import CLASSES, PREFIXES

__all__ = ["PropertyGraph", "to_property_graph", "to_triples", "compact", "expand"]

XSD = PREFIXES["xsd"]
RDF_TYPE = PREFIXES["rdf"] + "type"
_NATIVE = {XSD + "string": str, XSD + "integer": int, XSD + "boolean": bool, XSD + "double": float}
_SPECIAL = {
    (PREFIXES["skos"] + "prefLabel", "zh"): "name_zh",
    (PREFIXES["park"] + "translatedLabel", "en"): "name_en",
    (PREFIXES["skos"] + "altLabel", "zh"): "aliases",
}
LIST_KEYS = frozenset({"aliases", "types"})
_RESERVED = frozenset({"iri", "types"})
_PREFIX_ORDER = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def compact(iri: str) -> str:
    """``https://w3id.org/park-kg/ontology#active`` → ``park:active`` (unchanged if no prefix fits)."""
    for p, ns in _PREFIX_ORDER:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{p}:{iri[len(ns):]}"
    return iri


def expand(curie: str) -> str:
    p, sep, rest = curie.partition(":")
    return PREFIXES[p] + rest if sep and p in PREFIXES else curie


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1] or iri


def _ident(s: str) -> str:
    s = re.sub(r"\W", "_", s, flags=re.ASCII)
    return s if s and not s[0].isdigit() else f"p_{s}"


def _snake_upper(local: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", _ident(local)).upper()


@dataclass
class PropertyGraph:
    """Nodes by IRI (labels, properties), relationships as (start IRI, TYPE, end IRI), and the schema."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rels: list[tuple[str, str, str]] = field(default_factory=list)
    schema: list[dict[str, Any]] = field(default_factory=list)


class _Keys:
    """Assigns property keys and relationship types, each to exactly one (predicate, language)."""

    def __init__(self) -> None:
        self.prop: dict[tuple[str, str | None], str] = {}
        self.rel: dict[str, str] = {}
        self._taken_props = set(_RESERVED)
        self._taken_rels: set[str] = set()

    def prop_key(self, pred: str, lang: str | None) -> str:
        if (pred, lang) not in self.prop:
            base = _SPECIAL.get((pred, lang)) or _ident(_local(pred) + (f"_{lang}" if lang else ""))
            key, n = base, 1
            # a key never ends in _dt, and its _dt companion is free: a predicate named x_dt must not be read as x's datatype
            while key in self._taken_props or f"{key}_dt" in self._taken_props or key.endswith("_dt"):
                n += 1
                key = f"{base}_{n}"
            self._taken_props |= {key, f"{key}_dt"}
            self.prop[(pred, lang)] = key
        return self.prop[(pred, lang)]

    def rel_type(self, pred: str) -> str:
        if pred not in self.rel:
            base = _snake_upper(_local(pred))
            t, n = base, 1
            while t in self._taken_rels:
                n += 1
                t = f"{base}_{n}"
            self._taken_rels.add(t)
            self.rel[pred] = t
        return self.rel[pred]

    def entries(self) -> list[dict[str, Any]]:
        out = [{"kind": "prop", "key": k, "iri": p, "lang": lang or ""} for (p, lang), k in self.prop.items()]
        out += [{"kind": "rel", "key": t, "iri": p, "lang": ""} for p, t in self.rel.items()]
        return sorted(out, key=lambda e: (e["kind"], e["key"]))


def _term_id(t) -> str:
    return f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value


def _literal_value(lit: ox.Literal) -> tuple[Any, str | None]:
    """(value, datatype CURIE or None when the Python type says it)."""
    dt = lit.datatype.value
    if lit.language:
        return lit.value, None
    if dt in _NATIVE:
        conv = _NATIVE[dt]
        try:
            return (lit.value == "true") if conv is bool else conv(lit.value), None
        except ValueError:
            pass
    return lit.value, compact(dt)


def to_property_graph(triples: Iterable) -> PropertyGraph:
    """Map triples (anything with .subject/.predicate/.object pyoxigraph terms) to a property graph."""
    triples = list(triples)
    subjects = {_term_id(t.subject) for t in triples}
    keys = _Keys()
    props: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    dts: dict[str, dict[str, str]] = defaultdict(dict)
    types: dict[str, list[str]] = defaultdict(list)
    rels: set[tuple[str, str, str]] = set()
    for t in sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object))):
        s, p, o = _term_id(t.subject), t.predicate.value, t.object
        if p == RDF_TYPE and isinstance(o, ox.NamedNode):
            types[s].append(compact(o.value))
            continue
        if isinstance(o, (ox.NamedNode, ox.BlankNode)) and _term_id(o) in subjects:
            rels.add((s, keys.rel_type(p), _term_id(o)))
            continue
        if isinstance(o, ox.Literal):
            key = keys.prop_key(p, o.language)
            value, dt = _literal_value(o)
        else:
            key = keys.prop_key(p, None)
            value, dt = compact(_term_id(o)), "@id"
        if dt and dts[s].setdefault(key, dt) != dt:
            raise ValueError(f"{s}: values of {p} have different datatypes ({dts[s][key]}, {dt})")
        props[s][key].append(value)
    pg = PropertyGraph(rels=sorted(rels), schema=keys.entries())
    for s in sorted(subjects):
        node: dict[str, Any] = {"iri": s}
        for key, values in props[s].items():
            node[key] = values if len(values) > 1 or key in LIST_KEYS else values[0]
        for key, dt in dts[s].items():
            node[f"{key}_dt"] = dt
        if types[s]:
            node["types"] = types[s]
        pg.nodes[s] = node
        labels = ["Resource"]
        for c in types[s]:
            name = _local(expand(c))
            for a in classes.ancestors(name) if name in CLASSES else [_ident(name)]:
                if a not in labels:
                    labels.append(a)
        pg.labels[s] = tuple(labels)
    return pg


def _node(ident: str):
    return ox.BlankNode(ident[2:]) if ident.startswith("_:") else ox.NamedNode(ident)


def to_triples(nodes: Iterable[dict[str, Any]], rels: Iterable[tuple[str, str, str]], schema: Iterable[dict[str, Any]]) -> list[ox.Triple]:
    """Rebuild the RDF triples from node property maps, relationships and the schema entries."""
    prop_of = {e["key"]: (e["iri"], e["lang"] or None) for e in schema if e["kind"] == "prop"}
    rel_of = {e["key"]: e["iri"] for e in schema if e["kind"] == "rel"}
    out: list[ox.Triple] = []
    for n in nodes:
        s = _node(n["iri"])
        for c in n.get("types") or []:
            out.append(ox.Triple(s, ox.NamedNode(RDF_TYPE), ox.NamedNode(expand(c))))
        for key, value in n.items():
            if key in _RESERVED or key.endswith("_dt") and key[:-3] in n:
                continue
            if key not in prop_of:
                raise ValueError(f"property {key!r} of {n['iri']} is not in the graph's KgSchema")
            pred, lang = prop_of[key]
            dt = n.get(f"{key}_dt")
            for v in value if isinstance(value, list) else [value]:
                if dt == "@id":
                    o = _node(expand(v))
                elif dt:
                    o = ox.Literal(str(v), datatype=ox.NamedNode(expand(dt)))
                elif lang:
                    o = ox.Literal(v, language=lang)
                elif isinstance(v, bool):
                    o = ox.Literal("true" if v else "false", datatype=ox.NamedNode(XSD + "boolean"))
                elif isinstance(v, int):
                    o = ox.Literal(str(v), datatype=ox.NamedNode(XSD + "integer"))
                elif isinstance(v, float):
                    o = ox.Literal(repr(v), datatype=ox.NamedNode(XSD + "double"))
                else:
                    o = ox.Literal(str(v))
                out.append(ox.Triple(s, ox.NamedNode(pred), o))
    for a, t, b in rels:
        if t not in rel_of:
            raise ValueError(f"relationship type {t!r} is not in the graph's KgSchema")
        out.append(ox.Triple(_node(a), ox.NamedNode(rel_of[t]), _node(b)))
    return out
