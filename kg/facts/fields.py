"""The facts format's vocabulary and the checks of single values: text, names, dates, controls."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from pathlib import Path
from typing import Any

from kg.facts.marked import Map
from kg.facts.problems import Problem, show
from kg.text import BIDI_CONTROLS, describe_char, find_control

__all__ = [
    "KINDS", "STATUSES", "MEASURES", "QUALIFIERS", "REVIEW_STATES", "MAX_NAME_CHARS", "MAX_VALUE", "FIELDS",
    "META_FIELDS", "SECTIONS_ALLOWED", "REFS", "is_text", "check_fields", "check_date", "check_text", "label_problem",
    "control_problems", "CANDIDATE_FIELDS",
]  # fmt: skip

KINDS = frozenset(
    "park zone company university gov chamber association party-org community alliance "
    "incubator accelerator maker-space science-park institute fund org project policy event "
    "mechanism program qualification product chain".split()
)
STATUSES = ("active", "planned", "ended")
MEASURES = ("count", "amount", "rate", "memberCount", "share")
QUALIFIERS = ("exact", "余", "约", "以上", "达", "近", "超")
REVIEW_STATES = ("candidate", "accepted", "rejected")
#: longest name, alias or English name, in characters (the seed's longest is ~100)
MAX_NAME_CHARS = 200
#: largest indicator value: the store keeps xsd:decimal with 18 digits after the point in 128 bits
MAX_VALUE = 10**18
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LABEL_KEYS = ("name", "name_en")
SECTIONS_ALLOWED = ("source", "extraction", "entities", "memberships", "relations", "chains", "indicators")
FIELDS: dict[str, tuple[set[str], set[str]]] = {  # section: (required, optional)
    "entities": ({"id", "type", "name", "quote"}, {"name_en", "aliases", "note"}),
    "memberships": ({"member", "organization", "status", "quote"}, {"date", "role", "note"}),
    "relations": ({"subject", "predicate", "quote"}, {"object", "value", "status", "date", "note"}),
    "chains": ({"chain", "stages", "quote"}, {"note"}),
    "indicators": (
        {"about", "metric", "measure", "value", "unit", "quote"},
        {"metric_en", "qualifier", "period", "period_start", "period_end", "note"},
    ),
}
# what only a candidates file (kg extract) holds: the review state, the quote's offsets, the extractor's confidence;
# the facts a review accepts keep none of it (ingest, decompile.canonical)
CANDIDATE_FIELDS = ("review", "offsets", "confidence")
for _required, _optional in FIELDS.values():
    _optional |= set(CANDIDATE_FIELDS)
META_FIELDS = (
    {"id", "title"},
    {"title_is_descriptive", "outlet", "page", "date", "date_note", "reporter", "language", "note"},
)
#: the keys of each section that name an entity
REFS = {
    "memberships": ("member", "organization"),
    "relations": ("subject", "object"),
    "indicators": ("about",),
    "chains": ("chain",),
}
# Fields that are one line: names (and the name of an alias list).
_ONE_LINE_KEYS = frozenset({"name", "name_en", "aliases"})


def is_text(v: Any) -> bool:
    return isinstance(v, str) and v.strip() != ""


def check_fields(item: Map, path: Path, what: str, spec: tuple[set[str], set[str]], problems: list[Problem]) -> None:
    required, optional = spec
    for k in sorted(required - item.keys()):
        problems.append(Problem(path, item.line, f"{what}: missing required field {k!r}"))
    for k in sorted(item.keys() - required - optional):
        allowed = ", ".join(sorted(required | optional))
        problems.append(Problem(path, item.line_of(k), f"{what}: unknown field {show(k)} (allowed: {allowed})"))


def check_date(item: Map, key: str, path: Path, problems: list[Problem]) -> None:
    """A problem unless ``item[key]`` is YYYY, YYYY-MM or YYYY-MM-DD (a bare year number becomes text)."""
    v = item[key]
    if isinstance(v, int) and not isinstance(v, bool):
        v = str(v)
        item[key] = v
    if not isinstance(v, str) or not _DATE.match(v):
        problems.append(
            Problem(path, item.line_of(key), f"{key} {show(v)} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        )
        return
    parts = [int(x) for x in v.split("-")] + [1, 1]
    try:
        _dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        problems.append(Problem(path, item.line_of(key), f"{key} {show(v)} is not a valid date"))


def check_text(item: Map, key: str, path: Path, what: str, problems: list[Problem]) -> bool:
    v = item.get(key)
    if not is_text(v):
        problems.append(Problem(path, item.line_of(key), f"{what}: {key} must be non-empty text, got {show(v)}"))
        return False
    if key in _LABEL_KEYS and (bad := label_problem(v)):
        problems.append(Problem(path, item.line_of(key), f"{what}: {key} {bad}"))
        return False
    return True


def label_problem(name: str) -> str | None:
    """Why ``name`` cannot be a name (one line, no invisible characters, not too long), or None."""
    for c in name:  # controls and bidi marks are refused by control_problems, in every field
        if unicodedata.category(c) == "Cf" and c not in BIDI_CONTROLS:  # zero-width spaces, joiners
            return f"contains the invisible character {describe_char(c)}; delete it"
    if len(name) > MAX_NAME_CHARS:
        return f"is {len(name):,} characters long; a name has at most {MAX_NAME_CHARS} (put longer text in note)"
    return None


def _todo(data: Any, what: str) -> list[tuple[Any, str, str, int]]:
    """The first values to look at: a facts file's sections item by item (named ``sec[i]``), else ``data``."""
    if not (isinstance(data, Map) and not what):
        return [(data, what, "", 1)]
    todo: list[tuple[Any, str, str, int]] = []
    for k, v in data.items():
        if k in FIELDS and isinstance(v, list):
            lines = getattr(v, "item_lines", [data.line_of(k)] * len(v))
            todo += [(x, f"{k}[{i}]", "", ln) for i, (x, ln) in enumerate(zip(v, lines))]
        else:
            todo.append((v, "", str(k), data.line_of(k)))
    return todo


def control_problems(data: Any, path: Path, problems: list[Problem], what: str = "") -> None:
    """A problem for every text anywhere in ``data`` that holds a terminal control or bidi character.

    Quotes, notes, roles, periods, metadata, the extraction record: every string, at any
    depth, with the line of its key. U+009B or ESC can rewrite a terminal that prints the
    graph; U+202E or U+2067 make text read in another order than it is stored. Line feeds
    and tabs are allowed except in names (one line). Each container is looked at once, so
    YAML aliases cost nothing.
    """
    seen: set[int] = set()
    todo = _todo(data, what)  # (value, item, key, line)
    while todo:
        value, where, key, line = todo.pop()
        if isinstance(value, str):
            i = find_control(value, lines=key not in _ONE_LINE_KEYS)
            if i >= 0:
                problems.append(
                    Problem(path, line, f"{where + ': ' if where else ''}{key or 'text'} {_control_reason(value[i])}")
                )
            continue
        if not isinstance(value, (dict, list)) or id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, dict):
            lines = getattr(value, "key_lines", {})
            todo += [(v, where, f"{key}.{k}" if key else str(k), lines.get(k, line)) for k, v in value.items()]
        else:
            lines = getattr(value, "item_lines", [line] * len(value))
            todo += [(v, where, key, ln) for v, ln in zip(value, lines)]


def _control_reason(c: str) -> str:
    if c in "\n\t":
        return f"contains a line break or control character: {describe_char(c)}; a name is one line"
    if c in BIDI_CONTROLS:
        return f"contains the invisible character {describe_char(c)}; delete it"
    return f"contains control characters: {describe_char(c)}, which a terminal acts on; delete them"
