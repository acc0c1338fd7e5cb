"""Facts files: load, validate with file:line errors, and check every quote against its source.

A facts file is YAML, one per source document (format: ``docs/model.md``). Loading keeps
the line of every mapping and key, so each problem is reported as ``file:line: reason``.
All problems of a facts directory are collected before anything is raised.

A candidates file written by ``kg extract`` is a facts file with, on each item, a
``review`` state (candidate, accepted, rejected) and the ``offsets`` of its quote in the
normalized text, plus an ``extraction`` section saying where it came from; the compiler
ignores all three. An item marked ``rejected`` in a facts file is refused (file:line):
a rejected item never becomes a fact.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import reprlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kg.model import terms as vocab
from kg.errors import KgError
from kg.text import BIDI_CONTROLS, describe_char, find_control, find_quote

__all__ = [
    "Problem",
    "FactsError",
    "Source",
    "FactsFile",
    "Facts",
    "load_facts",
    "KINDS",
    "STATUSES",
    "MEASURES",
    "QUALIFIERS",
    "REVIEW_STATES",
]

KINDS = frozenset(
    "park zone company university gov chamber association party-org community alliance "
    "incubator accelerator maker-space science-park institute fund org project policy event "
    "mechanism program qualification product chain".split()
)
STATUSES = ("active", "planned", "ended")
MEASURES = ("count", "amount", "rate", "memberCount", "share")
QUALIFIERS = ("exact", "余", "约", "以上", "达", "近", "超")
_ID = re.compile(r"^([a-z][a-z-]*)/([a-z0-9]+(?:-[a-z0-9]+)*)$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

REVIEW_STATES = ("candidate", "accepted", "rejected")
#: largest facts file or source text read, in bytes: one news article is ~10 KB, a facts file ~50 KB
MAX_FILE_BYTES = 16 * 1024 * 1024
#: longest name, alias or English name, in characters (the seed's longest is ~100)
MAX_NAME_CHARS = 200
#: largest indicator value: the store keeps xsd:decimal with 18 digits after the point in 128 bits
MAX_VALUE = 10**18
#: problems listed in a FactsError's message (all are in its ``problems``)
SHOWN_PROBLEMS = 100
_LABEL_KEYS = ("name", "name_en")
# Text fields of every section and of the source metadata: checked to be non-empty text.
_TEXT_KEYS = ("name", "name_en", "note", "role", "metric", "metric_en", "unit", "period")
_META_TEXT_KEYS = ("title", "outlet", "reporter", "language", "date_note", "note")
_SECTIONS = ("source", "extraction", "entities", "memberships", "relations", "chains", "indicators")
_FIELDS: dict[str, tuple[set[str], set[str]]] = {  # section: (required, optional)
    "entities": ({"id", "type", "name", "quote"}, {"name_en", "aliases", "note"}),
    "memberships": ({"member", "organization", "status", "quote"}, {"date", "role", "note"}),
    "relations": ({"subject", "predicate", "quote"}, {"object", "value", "status", "date", "note"}),
    "chains": ({"chain", "stages", "quote"}, {"note"}),
    "indicators": (
        {"about", "metric", "measure", "value", "unit", "quote"},
        {"metric_en", "qualifier", "period", "period_start", "period_end", "note"},
    ),
}
for _required, _optional in _FIELDS.values():
    _optional |= {"review", "offsets"}  # candidates files (kg extract): review state, quote offsets
_META_FIELDS = (
    {"id", "title"},
    {"title_is_descriptive", "outlet", "page", "date", "date_note", "reporter", "language", "note"},
)


class _Short(reprlib.Repr):
    """``repr`` cut to a readable size: a value of megabytes, or a YAML alias bomb, stays one short line."""

    def __init__(self) -> None:
        super().__init__()
        self.maxstring = self.maxother = 60
        self.maxlist = self.maxdict = 3
        self.maxlevel = 2

    def repr1(self, x: Any, level: int) -> str:
        if isinstance(x, dict) and type(x) is not dict:  # _Map
            return self.repr_dict(x, level)
        if isinstance(x, list) and type(x) is not list:  # _Seq
            return self.repr_list(x, level)
        return super().repr1(x, level)


_show = _Short().repr


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a facts file, at a place a person can open."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class FactsError(KgError):
    """The facts do not validate; ``problems`` lists every one found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (str(p.path), p.line))
        head = f"{len(self.problems)} problem(s) in the facts:"
        shown = [*map(str, self.problems[:SHOWN_PROBLEMS])]
        if len(self.problems) > SHOWN_PROBLEMS:
            shown.append(f"… and {len(self.problems) - SHOWN_PROBLEMS} more (fix these first)")
        super().__init__("\n".join([head, *shown]))


class _Map(dict):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    pass


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    m = _Map()
    m.line = node.start_mark.line + 1
    m.key_lines = {}
    for knode, vnode in node.value:
        key = loader.construct_object(knode, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in m:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {_show(key)}", knode.start_mark
            )
        m[key] = loader.construct_object(vnode, deep=True)
        m.key_lines[key] = knode.start_mark.line + 1
    return m


class _Seq(list):
    """A YAML sequence that remembers the line of each item (1-based)."""

    item_lines: list[int]


def _construct_seq(loader: _Loader, node: yaml.SequenceNode) -> _Seq:
    seq = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    seq.item_lines = [child.start_mark.line + 1 for child in node.value]
    return seq


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_map)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_seq)
# Dates stay strings: "2024-06" and "2024-06-01" are compared and typed by us, not YAML.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _too_big(path: Path, problems: list[Problem], where: Problem | None = None) -> bool:
    """True (and a problem) when ``path`` is larger than :data:`MAX_FILE_BYTES`: it is not read."""
    try:
        size = path.stat().st_size
    except OSError:
        return False  # reported by the read
    if size <= MAX_FILE_BYTES:
        return False
    w = where or Problem(path, 1, "")
    problems.append(Problem(w.path, w.line, f"{path.name} is {size / 2**20:.0f} MB, more than the {MAX_FILE_BYTES // 2**20} MB "
                                            "a facts file or source text may have; split it (one facts file per source document)"))
    return True


def _read_yaml(path: Path, problems: list[Problem]) -> Any:
    if _too_big(path, problems):
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        problems.append(Problem(path, 1, f"not UTF-8 ({e.reason} at byte {e.start}); save the file as UTF-8"))
        return None
    except OSError as e:
        problems.append(Problem(path, 1, f"cannot read: {e.strerror}"))
        return None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        problems.append(Problem(path, line, f"malformed YAML: {' '.join(str(e.problem or e).split())}"))
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, e.position) + 1
        problems.append(Problem(path, line, f"malformed YAML: character U+{e.character:04X} is not allowed in YAML ({e.reason})"))
    except yaml.YAMLError as e:
        problems.append(Problem(path, 1, f"malformed YAML: {' '.join(str(e).split())}"))
    except RecursionError:
        problems.append(Problem(path, 1, "malformed YAML: nested too deeply"))
    return None


@dataclass
class Source:
    """A source document: its raw text and metadata (``seeds/sources/<stem>.{txt,meta.yaml}``)."""

    stem: str
    path: Path
    text: str
    meta: dict[str, Any]

    @property
    def id(self) -> str:
        return self.meta["id"]


@dataclass
class FactsFile:
    path: Path
    source: Source
    entities: list[_Map] = field(default_factory=list)
    memberships: list[_Map] = field(default_factory=list)
    relations: list[_Map] = field(default_factory=list)
    chains: list[_Map] = field(default_factory=list)
    indicators: list[_Map] = field(default_factory=list)


@dataclass
class Facts:
    """Validated facts of a directory: files in name order, entities by id."""

    files: list[FactsFile]
    entities: dict[str, _Map]

    def counts(self) -> dict[str, int]:
        return {
            sec: sum(len(getattr(f, sec)) for f in self.files)
            for sec in ("entities", "memberships", "relations", "chains", "indicators")
        }


def _load_source(stem: str, sources_dir: Path, where: Problem, problems: list[Problem]) -> Source | None:
    txt = sources_dir / f"{stem}.txt"
    meta_path = sources_dir / f"{stem}.meta.yaml"
    try:
        found = txt.is_file()
    except OSError as e:  # a name the file system refuses
        problems.append(Problem(where.path, where.line, f"source file {txt.name[:60]}…: {e.strerror}"))
        return None
    if not found:
        problems.append(Problem(where.path, where.line, f"source file {txt} not found"))
        return None
    if _too_big(txt, problems, where):
        return None
    try:
        text = txt.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        problems.append(Problem(txt, 1, f"source is not UTF-8 ({e.reason} at byte {e.start})"))
        return None
    if not meta_path.is_file():
        problems.append(Problem(where.path, where.line, f"source metadata {meta_path} not found"))
        return None
    n = len(problems)
    meta = _read_yaml(meta_path, problems)
    if len(problems) > n:
        return None
    if not isinstance(meta, _Map):
        problems.append(Problem(meta_path, 1, "source metadata must be a mapping"))
        return None
    _check_fields(meta, meta_path, "source metadata", _META_FIELDS, problems)
    _control_problems(meta, meta_path, problems, "source metadata")
    if "id" in meta and not (isinstance(meta["id"], str) and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", meta["id"])):
        problems.append(Problem(meta_path, meta.line_of("id"), "id must be a lowercase ASCII slug"))
    if meta.get("date") is not None:
        _check_date(meta, "date", meta_path, problems)
    for key in _META_TEXT_KEYS:
        if meta.get(key) is not None:
            _check_text(meta, key, meta_path, "source metadata", problems)
    if "id" not in meta:
        return None
    return Source(stem=stem, path=txt, text=text, meta=meta)


def _check_fields(item: _Map, path: Path, what: str, spec: tuple[set[str], set[str]], problems: list[Problem]) -> None:
    required, optional = spec
    for k in sorted(required - item.keys()):
        problems.append(Problem(path, item.line, f"{what}: missing required field {k!r}"))
    for k in sorted(item.keys() - required - optional):
        allowed = ", ".join(sorted(required | optional))
        problems.append(Problem(path, item.line_of(k), f"{what}: unknown field {_show(k)} (allowed: {allowed})"))


def _check_date(item: _Map, key: str, path: Path, problems: list[Problem]) -> None:
    v = item[key]
    if isinstance(v, int) and not isinstance(v, bool):
        v = str(v)
        item[key] = v
    if not isinstance(v, str) or not _DATE.match(v):
        problems.append(Problem(path, item.line_of(key), f"{key} {_show(v)} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"))
        return
    parts = [int(x) for x in v.split("-")] + [1, 1]
    try:
        _dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        problems.append(Problem(path, item.line_of(key), f"{key} {_show(v)} is not a valid date"))


def _is_text(v: Any) -> bool:
    return isinstance(v, str) and v.strip() != ""


def _check_text(item: _Map, key: str, path: Path, what: str, problems: list[Problem]) -> bool:
    v = item.get(key)
    if not _is_text(v):
        problems.append(Problem(path, item.line_of(key), f"{what}: {key} must be non-empty text, got {_show(v)}"))
        return False
    if key in _LABEL_KEYS and (bad := _label_problem(v)):
        problems.append(Problem(path, item.line_of(key), f"{what}: {key} {bad}"))
        return False
    return True


def _label_problem(name: str) -> str | None:
    """Why ``name`` cannot be a name (one line, no invisible characters, not too long), or None."""
    for c in name:  # controls and bidi marks are refused by _control_problems, in every field
        if unicodedata.category(c) == "Cf" and c not in BIDI_CONTROLS:  # zero-width spaces, joiners
            return f"contains the invisible character {describe_char(c)}; delete it"
    if len(name) > MAX_NAME_CHARS:
        return f"is {len(name):,} characters long; a name has at most {MAX_NAME_CHARS} (put longer text in note)"
    return None


def _control_problems(data: Any, path: Path, problems: list[Problem], what: str = "") -> None:
    """A problem for every text anywhere in ``data`` that holds a terminal control or bidi character.

    Quotes, notes, roles, periods, metadata, the extraction record: every string, at any
    depth, with the line of its key. U+009B or ESC can rewrite a terminal that prints the
    graph; U+202E or U+2067 make text read in another order than it is stored. Line feeds
    and tabs are allowed except in names (one line). Each container is looked at once, so
    YAML aliases cost nothing.
    """
    seen: set[int] = set()
    todo: list[tuple[Any, str, str, int]] = []  # (value, item, key, line)
    if isinstance(data, _Map) and not what:  # a facts file: the items of a section are named sec[i]
        for k, v in data.items():
            if k in _FIELDS and isinstance(v, list):
                lines = getattr(v, "item_lines", [data.line_of(k)] * len(v))
                todo += [(x, f"{k}[{i}]", "", ln) for i, (x, ln) in enumerate(zip(v, lines))]
            else:
                todo.append((v, "", str(k), data.line_of(k)))
    else:
        todo.append((data, what, "", 1))
    while todo:
        value, where, key, line = todo.pop()
        if isinstance(value, str):
            i = find_control(value, lines=key not in _ONE_LINE_KEYS)
            if i >= 0:
                problems.append(Problem(path, line, f"{where + ': ' if where else ''}{key or 'text'} {_control_reason(value[i])}"))
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


# Fields that are one line: names (and the name of an alias list).
_ONE_LINE_KEYS = frozenset({"name", "name_en", "aliases"})


def _control_reason(c: str) -> str:
    if c in "\n\t":
        return f"contains a line break or control character: {describe_char(c)}; a name is one line"
    if c in BIDI_CONTROLS:
        return f"contains the invisible character {describe_char(c)}; delete it"
    return f"contains control characters: {describe_char(c)}, which a terminal acts on; delete them"


def _check_quote(item: _Map, key: str, src: Source, path: Path, what: str, problems: list[Problem]) -> None:
    values = item.get(key)
    for q in values if isinstance(values, list) else [values]:
        if not _is_text(q):
            problems.append(Problem(path, item.line_of(key), f"{what}: {key} must be non-empty text, got {_show(q)}"))
        elif find_quote(src.text, q) is None:
            short = q if len(q) <= 40 else q[:40] + "…"
            problems.append(Problem(path, item.line_of(key), f"{what}: {key} {_show(short)} not found in source {src.path.name}"))


def _validate_item(sec: str, i: int, item: Any, line: int, ff: FactsFile, problems: list[Problem], candidates: bool = False) -> bool:
    path = ff.path
    what = f"{sec}[{i}]"
    if not isinstance(item, _Map):
        problems.append(Problem(path, line, f"{what}: must be a mapping, got {type(item).__name__}"))
        return False
    n = len(problems)
    _check_fields(item, path, what, _FIELDS[sec], problems)
    if "quote" in item and sec != "entities" and not isinstance(item["quote"], str):
        problems.append(Problem(path, item.line_of("quote"), f"{what}: quote must be one text (only entities take a list of quotes), got {_show(item['quote'])}"))
    elif "quote" in item:
        _check_quote(item, "quote", ff.source, path, what, problems)
    if "note" in item and sec != "entities":
        _check_text(item, "note", path, what, problems)
    if "date" in item:
        _check_date(item, "date", path, problems)
    for k in ("period_start", "period_end"):
        if k in item:
            _check_date(item, k, path, problems)
    if "review" in item and item["review"] not in REVIEW_STATES:
        problems.append(Problem(path, item.line_of("review"), f"{what}: review {_show(item['review'])} is not one of {', '.join(REVIEW_STATES)}"))
    elif item.get("review") == "rejected" and not candidates:
        problems.append(Problem(path, item.line_of("review"), f"{what}: marked 'review: rejected', and a rejected item never becomes a fact: "
                                                             "delete it from the facts file (or set 'review: accepted' if it is right)"))
    if "offsets" in item and not _is_span(item["offsets"]):
        problems.append(Problem(path, item.line_of("offsets"), f"{what}: offsets must be [start, end] with 0 <= start < end, got {_show(item['offsets'])}"))
    if "status" in item and item["status"] not in STATUSES:
        problems.append(Problem(path, item.line_of("status"), f"{what}: status {_show(item['status'])} is not one of {', '.join(STATUSES)}"))
    if sec == "entities":
        _validate_entity(item, ff, what, problems)
    elif sec == "relations":
        _validate_relation(item, path, what, problems)
    elif sec == "chains":
        st = item.get("stages")
        if not (isinstance(st, list) and len(st) >= 2 and all(isinstance(s, str) for s in st)):
            problems.append(Problem(path, item.line_of("stages"), f"{what}: stages must be a list of at least two entity ids"))
    elif sec == "indicators":
        _validate_indicator(item, path, what, problems)
    if sec == "memberships" and "role" in item:
        _check_text(item, "role", path, what, problems)
    return len(problems) == n


def _is_span(v: Any) -> bool:
    return isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) and not isinstance(x, bool) for x in v) and 0 <= v[0] < v[1]


def _validate_entity(item: _Map, ff: FactsFile, what: str, problems: list[Problem]) -> None:
    path = ff.path
    eid = item.get("id")
    if not (isinstance(eid, str) and (m := _ID.match(eid)) and m.group(1) in KINDS):
        problems.append(Problem(path, item.line_of("id"), f"{what}: id {_show(eid)} must be <kind>/<ascii-slug> with kind in: {', '.join(sorted(KINDS))}"))
    types = item.get("type")
    tlist = types if isinstance(types, list) else [types]
    for t in tlist:
        if not isinstance(t, str) or t not in vocab.ENTITY_CLASSES:
            hint = _close(t, vocab.ENTITY_CLASSES)
            problems.append(Problem(path, item.line_of("type"), f"{what}: unknown type {_show(t)}{hint}"))
    for key in ("name", "name_en", "note"):
        if key in item:
            _check_text(item, key, path, what, problems)
    if _is_text(item.get("name")):
        _check_quote(item, "name", ff.source, path, what, problems)
    aliases = item.get("aliases", [])
    if not (isinstance(aliases, list) and all(_is_text(a) for a in aliases)):
        problems.append(Problem(path, item.line_of("aliases"), f"{what}: aliases must be a list of names"))
    elif bad := next((f"{_show(a)} {b}" for a in aliases if (b := _label_problem(a))), None):
        problems.append(Problem(path, item.line_of("aliases"), f"{what}: alias {bad}"))
    elif aliases:
        _check_quote(item, "aliases", ff.source, path, what, problems)


def _validate_relation(item: _Map, path: Path, what: str, problems: list[Problem]) -> None:
    pred = item.get("predicate")
    if not isinstance(pred, str) or pred not in vocab.RELATION_PROPERTIES:
        problems.append(Problem(path, item.line_of("predicate"), f"{what}: unknown predicate {_show(pred)}{_close(pred, vocab.RELATION_PROPERTIES)}"))
        return
    literal = pred in vocab.LITERAL_RELATIONS
    has_obj, has_val = "object" in item, "value" in item
    if literal and (has_obj or not has_val):
        problems.append(Problem(path, item.line, f"{what}: {pred} takes a text 'value:', not an 'object:'"))
    elif not literal and (has_val or not has_obj):
        problems.append(Problem(path, item.line, f"{what}: {pred} takes an entity 'object:', not a 'value:'"))
    elif has_val:
        _check_text(item, "value", path, what, problems)


def _validate_indicator(item: _Map, path: Path, what: str, problems: list[Problem]) -> None:
    v = item.get("value")
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        problems.append(Problem(path, item.line_of("value"), f"{what}: value must be a number, got {_show(v)}"))
    elif not (math.isfinite(v) and abs(v) < MAX_VALUE):
        problems.append(Problem(path, item.line_of("value"), f"{what}: value must be a finite number below 10^18, got {_show(v)}"))
    if item.get("measure") not in MEASURES:
        problems.append(Problem(path, item.line_of("measure"), f"{what}: measure {_show(item.get('measure'))} is not one of {', '.join(MEASURES)}"))
    q = item.get("qualifier", "exact")
    if q not in QUALIFIERS:
        problems.append(Problem(path, item.line_of("qualifier"), f"{what}: qualifier {_show(q)} is not one of {', '.join(QUALIFIERS)}"))
    for key in ("metric", "unit", "metric_en", "period"):
        if key in item:
            _check_text(item, key, path, what, problems)


def _close(word: Any, choices) -> str:
    import difflib

    if not isinstance(word, str):
        return ""
    near = difflib.get_close_matches(str(word), list(choices), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(near)}?)" if near else ""


_REFS = {
    "memberships": ("member", "organization"),
    "relations": ("subject", "object"),
    "indicators": ("about",),
    "chains": ("chain",),
}


def _load_file(path: Path, sources_dir: Path, problems: list[Problem], candidates: bool = False) -> FactsFile | None:
    n = len(problems)
    data = _read_yaml(path, problems)
    if len(problems) > n:
        return None
    if data is None:
        problems.append(Problem(path, 1, "empty facts file"))
        return None
    if not isinstance(data, _Map):
        problems.append(Problem(path, 1, "a facts file must be a mapping with 'source' and 'entities'"))
        return None
    _control_problems(data, path, problems)
    for k in data:
        if k not in _SECTIONS:
            problems.append(Problem(path, data.line_of(k), f"unknown section {_show(k)} (allowed: {', '.join(_SECTIONS)})"))
    if "extraction" in data and not isinstance(data["extraction"], dict):
        problems.append(Problem(path, data.line_of("extraction"), "extraction must be a mapping (written by kg extract)"))
    stem = data.get("source")
    if not _is_text(stem):
        problems.append(Problem(path, data.line_of("source"), "missing 'source': the stem of seeds/sources/<stem>.txt"))
        return None
    if re.search(r"[/\\\x00\n]|^\.", stem) or len(stem.encode("utf-8")) > 200:
        problems.append(Problem(path, data.line_of("source"), f"source {_show(stem)} must be the stem of a file in {sources_dir}, not a path"))
        return None
    source = _load_source(str(stem), sources_dir, Problem(path, data.line_of("source"), ""), problems)
    if source is None:
        return None
    ff = FactsFile(path=path, source=source)
    for sec in _FIELDS:
        items = data.get(sec) or []
        if not isinstance(items, list):
            problems.append(Problem(path, data.line_of(sec), f"{sec} must be a list"))
            continue
        lines = getattr(items, "item_lines", [data.line_of(sec)] * len(items))
        good = [x for i, (x, ln) in enumerate(zip(items, lines)) if _validate_item(sec, i, x, ln, ff, problems, candidates)]
        setattr(ff, sec, good)
    return ff


def load_facts(facts_dir: Path, sources_dir: Path | None = None, *, candidates: bool = False) -> Facts:
    """Load and validate every ``*.yaml`` facts file in ``facts_dir``.

    ``sources_dir`` defaults to ``facts_dir/../sources``. Raises :class:`FactsError`
    listing every problem (file:line and reason) when anything is wrong. An item marked
    ``review: rejected`` is one of them, unless the files are ``candidates`` (``kg ingest``
    reading a reviewed candidates file, which leaves rejected items out).
    """
    facts_dir = Path(facts_dir)
    sources_dir = Path(sources_dir) if sources_dir else facts_dir.parent / "sources"
    problems: list[Problem] = []
    if not facts_dir.is_dir():
        raise FactsError([Problem(facts_dir, 0, "facts directory not found")])
    paths = sorted(p for p in facts_dir.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    if not paths:
        raise FactsError([Problem(facts_dir, 0, "no *.yaml facts files in this directory")])
    files = [ff for p in paths if (ff := _load_file(p, sources_dir, problems, candidates))]

    entities: dict[str, _Map] = {}
    where: dict[str, Problem] = {}
    docs: dict[str, Path] = {}
    for ff in files:
        if (other := docs.setdefault(ff.source.id, ff.path)) != ff.path:
            problems.append(Problem(ff.path, 1, f"source id {ff.source.id!r} is also used by {other}"))
        for e in ff.entities:
            eid = e["id"]
            if eid in entities:
                first = where[eid]
                problems.append(Problem(ff.path, e.line_of("id"), f"duplicate entity id {_show(eid)} (first defined at {first.path}:{first.line})"))
            else:
                entities[eid] = e
                where[eid] = Problem(ff.path, e.line_of("id"), "")
    for ff in files:
        for sec, keys in _REFS.items():
            for item in getattr(ff, sec):
                for k in keys:
                    ref = item.get(k)
                    if k in item and (not isinstance(ref, str) or ref not in entities):
                        problems.append(Problem(ff.path, item.line_of(k), f"{sec}: {k} {_show(ref)} is not a defined entity{_close(ref, entities)}"))
        for ch in ff.chains:
            for s in ch["stages"]:
                if s not in entities:
                    problems.append(Problem(ff.path, ch.line_of("stages"), f"chains: stage {_show(s)} is not a defined entity{_close(s, entities)}"))
            if isinstance(ch.get("chain"), str) and ch["chain"] in entities and "IncubationChain" not in _types(entities[ch["chain"]]):
                problems.append(Problem(ff.path, ch.line_of("chain"), f"chains: {_show(ch['chain'])} is not an IncubationChain entity"))
    if problems:
        raise FactsError(problems)
    return Facts(files=files, entities=entities)


def _types(entity: _Map) -> list[str]:
    t = entity["type"]
    return t if isinstance(t, list) else [t]
