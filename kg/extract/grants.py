"""Relations to what the rules name as they read: qualifications and programs granted (被认定为, 获评, 列为,
申报, 入选), events co-organized (联合X召开), projects developed (建设…基地)."""

from __future__ import annotations

import re

from kg.extract.clause import PLACES, SentenceView, Statement, add_statement, evidence, span_of
from kg.extract.document import Document
from kg.extract.known import KnownEntities
from kg.extract.orgs import Ent, Mention
from kg.text import name_key

__all__ = ["co_organized", "develops", "granted"]

_ADVERBS = r"已|已经|已成功|成功|被|正在|正|积极|先后|分别|均|也|还|将|拟|计划|同时|近日|日前"
_GRANTS = (
    (r"(?:被|已|已成功|成功)?(?:认定为|获评为|评为|评定为|获评|列为|命名为|确定为)", "certifiedAs"),
    (r"申报", "appliesFor"),
    (r"(?:成功)?(?:入选|入围)", "selectedFor"),
)
_PROJECT_HEADS = r"(?:基地|项目|平台|工程|中试线|生产线|工厂|产业园)"
_HELD = re.compile(r"(?:共同)?(?:召开|举办|主办|承办)")  # at most 4
_BEFORE_GRANT = re.compile(r"(?:等[^,，;；。]{0,12}|" + _ADVERBS + ")+$")  # pieces of at most 13
_FIRST = re.compile(r"(?:\d{4}年(?:度)?)?(?:[^\d]{0,6}?(?:首家|首个|首批|第一家))?")
_YEAR = re.compile(r"(?:\d{4}年(?:度)?)?")
_PROJECT = re.compile(r"[^,;。]{2,20}?" + _PROJECT_HEADS + "$")


def _ending(pattern: re.Pattern, key: str, start: int, end: int, piece: int) -> re.Match | None:
    """``pattern.search(key, start, end)`` for a pattern of pieces (each at most ``piece`` long) repeated up
    to ``end`` ($): searched in a window that grows until the match found cannot be the end of a longer one."""
    width = 4 * piece
    while True:
        a = max(start, end - width)
        m = pattern.search(key, a, end)
        if a == start or m is None or m.start() >= a + piece:
            return m
        width *= 4


def co_organized(st: SentenceView, doc: Document, known: KnownEntities, new_ents: dict[str, Ent],
                 out: list[Statement]) -> None:
    """X 联合/会同 Y 召开/举办 E."""
    key = st.key
    for m in re.finditer(r"(?:联合|会同|携手)", key):
        v = _HELD.search(key, m.end(), m.end() + 34)  # within 30 characters, or not at all
        if not v or v.start() - m.end() > 30 or st.inside_name(m.start()):
            continue
        event = _named_object(st, doc, v.end(), st.clause_end(v.end()), "Event", known, new_ents)
        if not event:
            continue
        for s_ in [*st.subject_before(m.start()), *st.orgs(m.end(), v.start())]:
            add_statement(out, s_, "coOrganized", event, st, span_of(s_, event, (m.start(), m.end())),
                          st.status(m.start()))


def granted(st: SentenceView, doc: Document, known: KnownEntities, new_ents: dict[str, Ent],
            out: list[Statement]) -> None:
    """X (被)认定为/获评/列为 Q ; X (正在)申报 Q ; X 入选 P ; with a distinction when Q is a first (首家…)."""
    key = st.key
    for pat, pred in _GRANTS:
        for m in re.finditer(pat, key):
            tail = _ending(_BEFORE_GRANT, key, st.clause_start(m.start()), m.start(), 13)
            end = m.start() - len(tail.group()) if tail else m.start()
            subs = st.list_before(end, st.clause_start(m.start()))
            subs = [x for x in subs if x.j == end or x is not subs[-1]]
            if not subs:
                continue
            q_end = st.clause_end(m.end())
            first = _FIRST.match(key, m.end(), q_end)
            q_start = first.end() if first else m.end()
            q = _named_object(st, doc, q_start, q_end, "Program" if pred == "selectedFor" else "Qualification", known,
                              new_ents)
            if not q:
                continue
            for x in subs:
                add_statement(out, x, pred, q, st, span_of(x, q), st.status(m.start()))
                if first and re.search("首", first.group()) and pred == "certifiedAs":
                    value = doc.name(*st.s.span(_YEAR.match(key, m.end(), q_end).end(), q_end))
                    out.append(Statement(x.ent, "distinction", None, st.s.index, *evidence(span_of(x, q), x), "active",
                                         value=value))


def develops(st: SentenceView, doc: Document, known: KnownEntities, new_ents: dict[str, Ent],
             out: list[Statement]) -> None:
    """X (将在P)建设/打造 a named project (…基地, …项目, …平台): X develops it."""
    key = st.key
    for m in re.finditer(r"(?:投资建设|建设|打造|开发)", key):
        if st.inside_name(m.start()):
            continue
        end = st.clause_end(m.end())
        obj = _PROJECT.match(key, m.end(), end)
        start = st.clause_start(m.start())
        # X将在P建设: X, not P
        subs = [x for x in [st.last_org(start, m.start(), lambda x: key[x.i - 1 : x.i] != "在" or x.i == 0)]
                if x and obj]
        if not obj or not subs or any(x.ent.type in PLACES for x in st.orgs(m.end(), end)):
            continue
        project = _named_object(st, doc, m.end(), end, "Project", known, new_ents)
        if project is not None and not project.ent.is_org:
            for x in subs[-1:]:
                add_statement(out, x, "develops", project, st, span_of(x, project), st.status(m.start()))


def _named_object(st: SentenceView, doc: Document, a: int, b: int, type_: str, known: KnownEntities,
                  new_ents: dict[str, Ent]) -> Mention | None:
    """The entity named at key span ``[a, b)``: a mention already there, a known entity, or a new one."""
    while a < b and st.key[a] in "了的":
        a += 1
    if b - a < 2 or b - a > 40:
        return None
    inside = [x for x in st.mentions.starting(a, b) if x.j <= b and x.j - x.i >= (b - a) - 1]
    if inside:
        return inside[0]
    name = doc.name(*st.s.span(a, b))
    hits = known.lookup(name)
    if hits:
        ent = new_ents.setdefault("known:" + hits[0].id, Ent(hits[0].name, hits[0].type, "known", known=hits[0]))
    else:
        ent = new_ents.setdefault(name_key(name), Ent(name, type_, "object"))
    m = Mention(st.s.index, a, b, ent, "object")
    ent.mentions.append(m)
    return m
