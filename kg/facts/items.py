"""One item of a facts file checked field by field and, when valid, turned into its typed record."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from kg.facts.fields import (
    FIELDS,
    KINDS,
    MAX_VALUE,
    MEASURES,
    QUALIFIERS,
    REVIEW_STATES,
    STATUSES,
    check_date,
    check_fields,
    check_text,
    is_text,
    label_problem,
)
from kg.facts.marked import Map
from kg.facts.problems import Problem, close, show
from kg.model import terms as vocab
from kg.model.records import Chain, Entity, Indicator, Membership, Relation, Source
from kg.text import find_quote

__all__ = ["check_item", "record_of"]

_ID = re.compile(r"^([a-z][a-z-]*)/([a-z0-9]+(?:-[a-z0-9]+)*)$")
Spans = dict[str, list[tuple[int, int]]]


class _Item:
    """The context of one item's checks: where it is, its source, and the problems found."""

    def __init__(self, item: Map, what: str, path: Path, source: Source, problems: list[Problem]):
        self.item, self.what, self.path, self.source, self.problems = item, what, path, source, problems
        self.spans: Spans = {}

    def add(self, key: str | None, message: str) -> None:
        self.problems.append(Problem(self.path, self.item.line_of(key) if key else self.item.line, message))

    def text(self, key: str) -> bool:
        return check_text(self.item, key, self.path, self.what, self.problems)

    def quote(self, key: str) -> None:
        """Every quote of ``key`` is found in the source text (and its span kept)."""
        values = self.item.get(key)
        for q in values if isinstance(values, list) else [values]:
            if not is_text(q):
                self.add(key, f"{self.what}: {key} must be non-empty text, got {show(q)}")
            elif (span := find_quote(self.source.text, q)) is None:
                short = q if len(q) <= 40 else q[:40] + "…"
                self.add(key, f"{self.what}: {key} {show(short)} not found in source {self.source.path.name}")
            else:
                self.spans.setdefault(key, []).append(span)


def check_item(
    sec: str,
    i: int,
    item: Any,
    line: int,
    path: Path,
    source: Source,
    problems: list[Problem],
    candidates: bool = False,
) -> Entity | Membership | Relation | Chain | Indicator | None:
    """The record of ``item`` (item ``i`` of section ``sec``), or None after adding its problems."""
    what = f"{sec}[{i}]"
    if not isinstance(item, Map):
        problems.append(Problem(path, line, f"{what}: must be a mapping, got {type(item).__name__}"))
        return None
    n = len(problems)
    it = _Item(item, what, path, source, problems)
    _common(it, sec, candidates)
    _CHECKS[sec](it)
    return _record(sec, it) if len(problems) == n else None


def _common(it: _Item, sec: str, candidates: bool) -> None:
    item, what, path, problems = it.item, it.what, it.path, it.problems
    check_fields(item, path, what, FIELDS[sec], problems)
    if "quote" in item and sec != "entities" and not isinstance(item["quote"], str):
        it.add(
            "quote", f"{what}: quote must be one text (only entities take a list of quotes), got {show(item['quote'])}"
        )
    elif "quote" in item:
        it.quote("quote")
    if "note" in item and sec != "entities":
        it.text("note")
    for k in ("date", "period_start", "period_end"):
        if k in item:
            check_date(item, k, path, problems)
    if "review" in item and item["review"] not in REVIEW_STATES:
        it.add("review", f"{what}: review {show(item['review'])} is not one of {', '.join(REVIEW_STATES)}")
    elif item.get("review") == "rejected" and not candidates:
        it.add(
            "review",
            f"{what}: marked 'review: rejected', and a rejected item never becomes a fact: "
            "delete it from the facts file (or set 'review: accepted' if it is right)",
        )
    if "confidence" in item and not _is_probability(item["confidence"]):
        it.add("confidence", f"{what}: confidence must be a number from 0 to 1, got {show(item['confidence'])}")
    if "offsets" in item and not _is_span(item["offsets"]):
        it.add("offsets", f"{what}: offsets must be [start, end] with 0 <= start < end, got {show(item['offsets'])}")
    if "status" in item and item["status"] not in STATUSES:
        it.add("status", f"{what}: status {show(item['status'])} is not one of {', '.join(STATUSES)}")


def _is_probability(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1


def _is_span(v: Any) -> bool:
    return (
        isinstance(v, list)
        and len(v) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) for x in v)
        and 0 <= v[0] < v[1]
    )


def _entity(it: _Item) -> None:
    item, what = it.item, it.what
    eid = item.get("id")
    if not (isinstance(eid, str) and (m := _ID.match(eid)) and m.group(1) in KINDS):
        it.add("id", f"{what}: id {show(eid)} must be <kind>/<ascii-slug> with kind in: {', '.join(sorted(KINDS))}")
    types = item.get("type")
    for t in types if isinstance(types, list) else [types]:
        if not isinstance(t, str) or t not in vocab.ENTITY_CLASSES:
            it.add("type", f"{what}: unknown type {show(t)}{close(t, vocab.ENTITY_CLASSES)}")
    for key in ("name", "name_en", "note"):
        if key in item:
            it.text(key)
    if is_text(item.get("name")):
        it.quote("name")
    aliases = item.get("aliases", [])
    if not (isinstance(aliases, list) and all(is_text(a) for a in aliases)):
        it.add("aliases", f"{what}: aliases must be a list of names")
    elif bad := next((f"{show(a)} {b}" for a in aliases if (b := label_problem(a))), None):
        it.add("aliases", f"{what}: alias {bad}")
    elif aliases:
        it.quote("aliases")


def _membership(it: _Item) -> None:
    if "role" in it.item:
        it.text("role")


def _relation(it: _Item) -> None:
    item, what = it.item, it.what
    pred = item.get("predicate")
    if not isinstance(pred, str) or pred not in vocab.RELATION_PROPERTIES:
        it.add("predicate", f"{what}: unknown predicate {show(pred)}{close(pred, vocab.RELATION_PROPERTIES)}")
        return
    literal = pred in vocab.LITERAL_RELATIONS
    has_obj, has_val = "object" in item, "value" in item
    if literal and (has_obj or not has_val):
        it.add(None, f"{what}: {pred} takes a text 'value:', not an 'object:'")
    elif not literal and (has_val or not has_obj):
        it.add(None, f"{what}: {pred} takes an entity 'object:', not a 'value:'")
    elif has_val:
        it.text("value")


def _chain(it: _Item) -> None:
    st = it.item.get("stages")
    if not (isinstance(st, list) and len(st) >= 2 and all(isinstance(s, str) for s in st)):
        it.add("stages", f"{it.what}: stages must be a list of at least two entity ids")


def _indicator(it: _Item) -> None:
    item, what = it.item, it.what
    v = item.get("value")
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        it.add("value", f"{what}: value must be a number, got {show(v)}")
    elif not (math.isfinite(v) and abs(v) < MAX_VALUE):
        it.add("value", f"{what}: value must be a finite number below 10^18, got {show(v)}")
    if item.get("measure") not in MEASURES:
        it.add("measure", f"{what}: measure {show(item.get('measure'))} is not one of {', '.join(MEASURES)}")
    q = item.get("qualifier", "exact")
    if q not in QUALIFIERS:
        it.add("qualifier", f"{what}: qualifier {show(q)} is not one of {', '.join(QUALIFIERS)}")
    for key in ("metric", "unit", "metric_en", "period"):
        if key in item:
            it.text(key)


_CHECKS = {
    "entities": _entity,
    "memberships": _membership,
    "relations": _relation,
    "chains": _chain,
    "indicators": _indicator,
}
_TYPES = {
    "entities": Entity,
    "memberships": Membership,
    "relations": Relation,
    "chains": Chain,
    "indicators": Indicator,
}


def _record(sec: str, it: _Item) -> Entity | Membership | Relation | Chain | Indicator:
    """The valid ``it.item`` as its record, the quotes' spans kept."""
    return record_of(sec, it.item, it.path, it.item.line, it.item.key_lines, it.spans.get("quote", ()))


def record_of(
    sec: str, item: dict[str, Any], path: Path, line: int = 0, lines: dict[str, int] | None = None, spans=()
) -> Entity | Membership | Relation | Chain | Indicator:
    """The record of a valid item of section ``sec`` (the facts format's keys; lists become tuples).

    ``spans`` are where the item's quotes were found in the source text (none: the compiler finds them).
    """
    skip = ("type", "quote", "aliases", "stages", "offsets", "confidence")
    kw: dict[str, Any] = {k: v for k, v in item.items() if k not in skip}
    if "offsets" in item:
        kw["offsets"] = tuple(item["offsets"])
    if sec == "entities":
        quotes = item["quote"] if isinstance(item["quote"], list) else [item["quote"]]
        types = item["type"] if isinstance(item["type"], list) else [item["type"]]
        kw.update(
            types=tuple(types), quotes=tuple(quotes), aliases=tuple(item.get("aliases") or ()), spans=tuple(spans)
        )
    else:
        kw.update(quote=item["quote"], span=spans[0] if spans else None)
    if sec == "chains":
        kw["stages"] = tuple(item["stages"])
    return _TYPES[sec](file=path, line=line, lines=lines or {}, **kw)
