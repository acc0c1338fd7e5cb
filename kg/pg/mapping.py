"""The keys and types of the RDF ↔ property graph mapping: a function of the predicate (and language tag) alone."""

from __future__ import annotations

import functools
import re

from kg.model.terms import PREFIXES, RELATIONS

__all__ = [
    "XSD",
    "RDF_TYPE",
    "NATIVE",
    "VOCAB",
    "INVERSES",
    "INVERSE_OF",
    "LIST_KEYS",
    "DERIVED",
    "compact",
    "expand",
    "local_name",
    "prop_key",
    "prop_of",
    "rel_type",
    "preds_of",
]

XSD = PREFIXES["xsd"]
RDF_TYPE = PREFIXES["rdf"] + "type"
NATIVE = {XSD + "string": str, XSD + "integer": int, XSD + "boolean": bool, XSD + "double": float}
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


def local_name(iri: str) -> str:
    """The part of ``iri`` after its last ``#`` or ``/``."""
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
    _BY_LOCAL.setdefault(local_name(_p), _p)  # org:role after park:role: the first one keeps the plain key
_VOCAB = frozenset(_BY_LOCAL.values())
_BY_TYPE = {_snake_upper(local_name(p)): p for p in _VOCAB}
#: Shortcut → its materialized inverse: stored once, in the shortcut's direction.
INVERSES = {
    PREFIXES["org"] + "memberOf": PREFIXES["org"] + "hasMember",
    PREFIXES["park"] + "plannedMemberOf": PREFIXES["park"] + "plannedMember",
    PREFIXES["park"] + "formerMemberOf": PREFIXES["park"] + "formerMember",
}
INVERSE_OF = {v: k for k, v in INVERSES.items()}
_SPECIAL: dict[tuple[str, str | None], str] = {
    (PREFIXES["skos"] + "prefLabel", "zh"): "name_zh",
    (PREFIXES["park"] + "translatedLabel", "en"): "name_en",
    (PREFIXES["skos"] + "altLabel", "zh"): "aliases",
}
_SPECIAL_KEYS = {v: k for k, v in _SPECIAL.items()}
LIST_KEYS = frozenset({"aliases", "types"})
DERIVED = frozenset({"iri", "types", "name"})  # not a predicate's key
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
        return local_name(pred) + (f"_{lang}" if lang else "")
    return f"{compact(pred)}@{lang or ''}"


def prop_of(key: str, where: str) -> tuple[str, str | None]:
    """The (predicate, language) a node property key stands for (the inverse of :func:`prop_key`)."""
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
    raise ValueError(f"property {key!r} of {where} is not a key of park-kg's mapping (kg/pg/mapping.py)")


@functools.lru_cache(maxsize=4096)
def rel_type(pred: str) -> str:
    """The relationship type of ``pred``: UPPER_SNAKE for park-kg's vocabulary, else its CURIE or IRI."""
    return _snake_upper(local_name(pred)) if pred in _VOCAB else compact(pred)


def preds_of(typ: str) -> tuple[str, ...]:
    """The predicates a relationship type stands for: the shortcut, and its inverse when it is folded."""
    pred = _BY_TYPE.get(typ) or expand(typ)
    if ":" not in pred:
        raise ValueError(f"relationship type {typ!r} is not a type of park-kg's mapping (kg/pg/mapping.py)")
    return (pred, INVERSES[pred]) if typ in _BY_TYPE and pred in INVERSES else (pred,)
