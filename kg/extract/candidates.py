"""Turn an extraction into a candidates file: the facts format of ``docs/model.md`` plus review state and offsets.

Entities the graph already has are referenced by their id and not written again; new
ones get an id ``<kind>/<pinyin-slug>`` that no known entity uses. Every item carries
``review: candidate``, its evidence ``quote`` (cut from the normalized text) and the
``offsets`` of that quote in the normalized text; items whose quote cannot be found back
in the raw article are left out.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from typing import Any

import yaml

from kg.extract.document import Document, Sentence, pieces
from kg.extract.lexicon import KIND_OF_TYPE, LEGAL_FORMS
from kg.extract.orgs import Ent, Mention
from kg.extract.pinyin import lazy_pinyin
from kg.extract.segment import words
from kg.text import match_key, match_key_with_offsets, name_key

__all__ = ["build_candidates", "dump_candidates", "slug"]

_CLAUSE = re.compile(r"[,;:，；：。！？!?]")
_MAX_QUOTE = 40


def slug(name: str, max_syllables: int = 8) -> str:
    """An ASCII slug of a Chinese name: its pinyin, without the legal form (有限公司…).

    >>> slug("金诃藏药集团有限公司")
    'jinhe-zangyao'
    >>> slug("ABC生物科技")
    'abc-shengwukeji'
    """
    key = name_key(name)
    for lf in LEGAL_FORMS:
        if key.endswith(lf) and len(key) > len(lf):
            key = key[: -len(lf)]
            break
    parts: list[str] = []
    for piece in re.findall(r"[a-z0-9]+|[\u3400-\u9fff]+", key):
        parts += [piece] if piece.isascii() else ["".join(lazy_pinyin(w)) for w, _ in words(piece)]
    parts = [re.sub(r"[^a-z0-9]", "", p.lower()) for p in parts]
    return "-".join(p for p in parts if p)[:60].strip("-") or "x"


class _Ids:
    def __init__(self, taken: set[str]):
        self.taken = set(taken)

    def new(self, ent: Ent) -> str:
        kind = KIND_OF_TYPE.get(ent.type, "org")
        base = f"{kind}/{slug(ent.name)}"
        eid, n = base, 2
        while eid in self.taken:
            eid, n = f"{base}-{n}", n + 1
        self.taken.add(eid)
        return eid


class _Raw:
    """Whether a text is found back in the raw article (:func:`kg.text.find_quote` is not None): looked for
    first where it was taken from, then in the whole article — a search from the start for each quote was
    quadratic in the article."""

    def __init__(self, doc: Document):
        self.doc = doc
        keys, self.offsets = [], array("i")  # the article's match key, what find_quote compares with, a piece at a time
        for start, end in pieces(doc.raw):
            key, offsets = match_key_with_offsets(doc.raw[start:end])
            keys.append(key)
            self.offsets.extend(start + o for o in offsets)
        self.key = "".join(keys)

    def has(self, text: str, near: list[tuple[int, int]] = ()) -> bool:
        """``text`` (by match key) occurs in the raw article; ``near``: normalized-text spans where it may be."""
        key = match_key(text)
        if not key:
            return False
        for start, end in near:
            lo = bisect_left(self.offsets, self.doc.raw_offsets[start])
            hi = bisect_left(self.offsets, self.doc.raw_offsets[end - 1] + 1)
            if self.key.find(key, max(0, lo - 4), hi + 4) >= 0:
                return True
        return self.key.find(key) >= 0


def _evidence(doc: Document, s: Sentence, i: int, j: int, raw: _Raw,
              whole_clause: bool = False) -> tuple[str, list[int]] | None:
    """Quote and offsets for key span ``[i, j)`` of sentence ``s``
    (its clause when short), checked against the raw text."""
    a, b = i, j
    if whole_clause:
        # a clause of at most _MAX_QUOTE
        starts = [m.end() for m in _CLAUSE.finditer(s.key, max(0, i - _MAX_QUOTE - 1), i)]
        ends = [m.start() for m in _CLAUSE.finditer(s.key, j, j + _MAX_QUOTE + 1)]
        ca, cb = (starts[-1] if starts else 0), (ends[0] if ends else len(s.key))
        if cb - ca <= _MAX_QUOTE:
            a, b = ca, cb
    if b <= a:
        return None
    start, end = doc.trim(*s.span(a, b))
    quote = doc.text[start:end]
    if not raw.has(quote, [(start, end)] if end > start else []):
        return None
    return quote, [start, end]


def _first_full(ent: Ent) -> Mention | None:
    order = {"known": 0, "suffix": 0, "chain": 1, "list": 1, "object": 1, "model": 1, "byline": 1, "alias": 2,
             "home": 3, "implicit": 4}
    ms = [m for m in ent.mentions if m.i < m.j]
    return min(ms, key=lambda m: (order.get(m.how, 5), m.sent, m.i)) if ms else None


def _entity_items(extraction, raw: _Raw, ids: _Ids, ent_id: dict[int, str]) -> tuple[list[dict], list[str], int]:
    """The new entities (and chains) with their evidence, the ids of known ones referenced, and how many were dropped;
    fills ``ent_id`` (``id(entity)`` → its id in the facts)."""
    doc: Document = extraction.doc
    entities: list[dict[str, Any]] = []
    known_refs: list[str] = []
    dropped = 0
    for e in extraction.entities:
        if e.known:
            ent_id[id(e)] = e.known.id
            known_refs.append(e.known.id)
            continue
        m = _first_full(e)
        ev = _evidence(doc, doc.sentences[m.sent], m.i, m.j, raw, whole_clause=True) if m else None
        if ev is None:
            dropped += 1
            continue
        eid = ids.new(e)
        ent_id[id(e)] = eid
        item: dict[str, Any] = {"id": eid, "type": e.type, "name": e.name}
        # an alias is written at a mention
        near = [doc.sentences[x.sent].span(x.i, x.j) for x in e.mentions[:16] if x.i < x.j]
        aliases = sorted({a for a in e.aliases.values() if name_key(a) != e.key and raw.has(a, near)},
                         key=lambda a: (len(a), a))
        if aliases:
            item["aliases"] = aliases
        if e.confidence is not None:
            item["confidence"] = e.confidence
        item.update(quote=ev[0], offsets=ev[1], review="candidate")
        entities.append(item)
    for c in extraction.chains:
        ce = Ent(c.name, "IncubationChain", "chain")
        ev = _evidence(doc, doc.sentences[c.sent], c.i, c.j, raw)
        if ev and all(id(st) in ent_id for st in c.stages):
            eid = ids.new(ce)
            ent_id[id(c)] = eid
            entities.append({"id": eid, "type": "IncubationChain", "name": c.name, "quote": ev[0], "offsets": ev[1],
                             "review": "candidate"})
    return entities, known_refs, dropped


def _ref(ent_id: dict[int, str], e: Ent | None) -> str | None:
    return ent_id.get(id(e)) if e is not None else None


def _statement_items(extraction, raw: _Raw, ent_id: dict[int, str]) -> tuple[list[dict], list[dict], int]:
    """Memberships and relations whose ends were written, with their evidence; and how many were dropped."""
    doc: Document = extraction.doc
    memberships: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    dropped = 0
    for st in extraction.statements:
        ev = _evidence(doc, doc.sentences[st.sent], st.i, st.j, raw)
        subj, obj = _ref(ent_id, st.subject), _ref(ent_id, st.object)
        if ev is None or subj is None or (st.object is not None and obj is None):
            dropped += 1
            continue
        if st.is_membership:
            item = {"member": subj, "organization": obj, "status": st.status}
            if st.role:
                item["role"] = st.role
            if st.confidence is not None:
                item["confidence"] = st.confidence
        else:
            item = {"subject": subj, "predicate": st.predicate}
            item.update({"value": st.value} if st.value is not None else {"object": obj, "status": st.status})
        item.update(quote=ev[0], offsets=ev[1], review="candidate")
        (memberships if st.is_membership else relations).append(item)
    return memberships, relations, dropped


def _chain_and_figure_items(extraction, raw: _Raw, ent_id: dict[int, str]) -> tuple[list[dict], list[dict], int]:
    """The chains' stages and the figures (indicators) of written
    entities, with their evidence; and how many figures were dropped."""
    doc: Document = extraction.doc
    chains = []
    for c in extraction.chains:
        ev = _evidence(doc, doc.sentences[c.sent], c.i, c.j, raw)
        if ev and id(c) in ent_id:
            chains.append({"chain": ent_id[id(c)], "stages": [ent_id[id(s)] for s in c.stages], "quote": ev[0],
                           "offsets": ev[1], "review": "candidate"})
    indicators = []
    dropped = 0
    for f in extraction.figures:
        ev = _evidence(doc, doc.sentences[f.sent], f.i, f.j, raw)
        about = _ref(ent_id, f.about)
        if ev is None or about is None:
            dropped += 1
            continue
        item = {"about": about, "metric": f.metric, "measure": f.measure, "value": f.value, "unit": f.unit}
        if f.qualifier != "exact":
            item["qualifier"] = f.qualifier
        if f.period:
            item["period"] = f.period
        item.update(quote=ev[0], offsets=ev[1], review="candidate")
        indicators.append(item)
    return chains, indicators, dropped


def build_candidates(extraction, taken_ids: set[str]) -> tuple[dict[str, Any], dict[str, int]]:
    """The candidates document (a dict in facts-file order) and counts of what was written and dropped."""
    raw = _Raw(extraction.doc)
    ent_id: dict[int, str] = {}
    entities, known_refs, dropped_entities = _entity_items(extraction, raw, _Ids(taken_ids), ent_id)
    memberships, relations, dropped_statements = _statement_items(extraction, raw, ent_id)
    chains, indicators, dropped_figures = _chain_and_figure_items(extraction, raw, ent_id)
    data = {
        "source": extraction.stem,
        "extraction": extraction.provenance(),
        "entities": entities,
        "memberships": memberships,
        "relations": relations,
        "chains": chains,
        "indicators": indicators,
    }
    counts = {
        "entities": len(entities),
        "known": len(set(known_refs)),
        "memberships": len(memberships),
        "relations": len(relations),
        "chains": len(chains),
        "indicators": len(indicators),
        "dropped": dropped_entities + dropped_statements + dropped_figures,
    }
    return data, counts


_HEADER = """\
# Candidate facts extracted by `kg extract` from {article} ({when}).
# Review them: delete what is wrong, correct what is inexact, and set `review: accepted`
# on what is right (`kg ingest --accept-all` takes every item still marked candidate).
# quote = the evidence as printed; offsets = [start, end) of it in the normalized text.
# Entities already in the graph are referenced by id and not repeated:
{known}
"""


# libyaml's emitter when PyYAML has it: the same text, ten times faster
_BASE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_STR, _INT, _SEQ, _MAP = (f"tag:yaml.org,2002:{t}" for t in ("str", "int", "seq", "map"))


class _Dumper(_BASE_DUMPER):  # type: ignore[misc,valid-type]
    """The safe dumper with the nodes of the candidates' own types (str, int, list, dict) made directly: the same
    nodes :class:`yaml.SafeDumper` makes (an object met twice still becomes an alias), without its lookups per value —
    most of the time of writing a candidates file was spent there. Any other type goes the safe dumper's way."""

    def represent_data(self, data: Any) -> yaml.Node:
        t = type(data)
        if t is str:
            return yaml.ScalarNode(_STR, data, style=self.default_style)
        if t is int:
            return yaml.ScalarNode(_INT, str(data), style=self.default_style)
        if t is not list and t is not dict:
            return super().represent_data(data)
        node = self.represented_objects.get(id(data))
        if node is not None:
            return node
        self.object_keeper.append(data)
        value: list = []
        node = (yaml.SequenceNode if t is list else yaml.MappingNode)(_SEQ if t is list else _MAP, value)
        self.represented_objects[id(data)] = node
        plain = True  # every item a plain scalar: the block or flow style SafeDumper would choose
        for item in (data if t is list else _pairs(data, self.sort_keys)):
            if t is list:
                sub = self.represent_data(item)
                plain = plain and isinstance(sub, yaml.ScalarNode) and not sub.style
                value.append(sub)
            else:
                k, v = self.represent_data(item[0]), self.represent_data(item[1])
                plain = plain and isinstance(k, yaml.ScalarNode) and not k.style and isinstance(v, yaml.ScalarNode) \
                    and not v.style
                value.append((k, v))
        node.flow_style = self.default_flow_style if self.default_flow_style is not None else plain
        return node


def _pairs(mapping: dict, sort_keys: bool) -> list:
    items = list(mapping.items())
    if sort_keys:
        try:
            items = sorted(items)
        except TypeError:
            pass
    return items


_DUMPER = _Dumper

_FLOAT = "tag:yaml.org,2002:float"
_PUNCT = frozenset("_/()+=^$;.~-")  # ASCII that libyaml writes plain inside a scalar, in block and in flow context
_MAX_LINE = 1000  # the dump's width: libyaml breaks a flow sequence past it


def _plain_char(c: str) -> bool:
    """True for a character libyaml writes as itself in a plain scalar (with unicode allowed), in block and flow
    context alike: ASCII letters, digits and :data:`_PUNCT`, printable non-ASCII of the BMP — no space, line break
    or BOM."""
    if c.isascii():
        return c.isalnum() or c in _PUNCT
    o = ord(c)
    return ((0xA0 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD)  # libyaml escapes what lies past the BMP
            and c not in "\ufeff\u2028\u2029" and not c.isspace())


class _Direct:
    """The YAML of a candidates section — a list of flat mappings of strings, numbers and lists of them, the shape
    every section has — written directly, line by line: the text :data:`_DUMPER` writes (a block sequence of
    block mappings, a list of scalars in flow style ``[a, b]``), without its node per value and the emitter's
    call back into Python for each scalar's tag, a tenth of an extraction on a 1,500-item list.
    :meth:`section` gives None, for the dumper to write, whenever anything is outside the cases it covers: another
    type, an object met twice (the dumper anchors it), a mapping of scalars only (written in flow style), a
    scalar libyaml would quote, or a line long enough for libyaml to fold."""

    def __init__(self) -> None:
        self.resolver = yaml.resolver.Resolver()
        self.scalars: dict[str, str | None] = {}
        self.chars: dict[str, bool] = {}  # _plain_char of each character met

    def _plain(self, text: str) -> bool:
        chars = self.chars
        for c in set(text).difference(chars):
            chars[c] = _plain_char(c)
        return all(map(chars.__getitem__, text))

    def scalar(self, value: Any) -> str | None:
        """``value`` as libyaml writes it plain, or None when it would not (or it is no str, int or float)."""
        t = type(value)
        if t is str and value in self.scalars:
            return self.scalars[value]
        text: str | None
        if t is str:
            text, tag = value, _STR
        elif t is int:
            text, tag = str(value), _INT
        elif t is float:
            text, tag = repr(value).lower(), _FLOAT  # SafeRepresenter.represent_float of a finite float with a dot
            if "." not in text or "e" in text or "n" in text:
                text = None
        else:
            return None
        if text is not None and not (
                text and self._plain(text)
                and (text[0].isalnum() or not text[0].isascii() or text[0] == "-" and text[1:2].isdigit())
                and self.resolver.resolve(yaml.ScalarNode, text, (True, False)) == tag):
            text = None
        if t is str and len(self.scalars) < 1 << 16:  # names, types, statuses recur
            self.scalars[value] = text
        return text

    def section(self, items: list) -> str | None:
        """``yaml.dump(items)`` as :data:`_DUMPER` writes it (block style where it chooses), or None."""
        seen: set[int] = set()
        lines: list[str] = []
        for item in items:
            if type(item) is not dict or id(item) in seen:
                return None
            seen.add(id(item))
            lead, nested = "- ", False
            for k, v in item.items():
                key = self.scalar(k) if type(k) is str else None
                if key is None:
                    return None
                if type(v) is list:
                    if id(v) in seen:
                        return None
                    seen.add(id(v))
                    parts = [self.scalar(x) for x in v]
                    if None in parts:
                        return None
                    text = "[" + ", ".join(parts) + "]"  # type: ignore[arg-type]
                    nested = True
                else:
                    text = self.scalar(v)  # type: ignore[assignment]
                    if text is None:
                        return None
                line = f"{lead}{key}: {text}"
                if len(line) >= _MAX_LINE:
                    return None
                lines.append(line)
                lead = "  "
            if not nested:  # every value a scalar (or no value): the dumper writes the mapping in flow style
                return None
        lines.append("")
        return "\n".join(lines)


def dump_candidates(data: dict[str, Any], known_names: dict[str, str]) -> str:
    """The candidates document as YAML text, with a header that says how to review it."""
    prov = data.get("extraction", {})
    known = "\n".join(f"#   {i}  {n}" for i, n in sorted(known_names.items())) or "#   (none)"
    head = _HEADER.format(article=prov.get("article", "?"), when=prov.get("extracted_at", ""), known=known)
    parts = [head]
    direct = _Direct()
    for sec, value in data.items():
        if isinstance(value, list):
            if not value:
                parts.append(f"{sec}: []\n")
                continue
            body = direct.section(value)
            if body is None:
                body = yaml.dump(value, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=_MAX_LINE,
                                 default_flow_style=None)
            parts.append(f"{sec}:\n" + "".join("  " + ln if ln.strip() else ln
                                               for ln in body.splitlines(keepends=True)))
        else:
            parts.append(yaml.dump({sec: value}, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=1000))
        parts.append("\n")
    return "".join(parts)
