"""Memberships and relations between the entities of an article, from trigger words in each sentence.

Memberships: “Y吸纳A、B…为成员单位”, “A加入Y”, “A成为Y成员单位”, “Y成员单位包括A、B”,
“由A牵头成立Y”, “Y由A、B…组成”. Relations: located in the park (园区X公司, 落户, 入驻),
signed with (签约, 签署), negotiates with (对接, 联系), certified as (被认定为), applies for
(申报), co-organized (联合X召开), established in (在…成立), co-builds (协同建设, 共建),
recommends (推荐), guides (指导), part of (a park named inside another's name).

A statement is ``planned`` when a marker of intent (将, 拟, 计划, 下半年, 届时…) comes before
its trigger in the sentence; otherwise ``active``. When a sentence names no subject, park
news speaks of the park itself: the home park is the subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.document import Document, Sentence
from kg.extract.known import KnownEntities
from kg.extract.orgs import Ent, Found, Mention
from kg.text import name_key

__all__ = ["Statement", "find_statements"]

_COLLAB = frozenset({"Alliance", "PartyBuildingCommunity", "Association", "ChamberOfCommerce", "PartyOrganization", "Organization", "IndustrialPark"})
_MEMBER_WORD = r"(?:成员单位|会员单位|理事单位|副理事长单位|理事长单位|成员|会员)"
_CLAUSE = re.compile(r"[,;:，；：]")
_PLACES = frozenset({"IndustrialPark", "SciencePark", "Incubator", "Accelerator", "MakerSpace", "IncubationCarrier"})
_SEPARATOR = re.compile(r"[、和及与,，]|以及")
# intent markers inside the trigger's clause; 计划 only as a verb (计划于…, 计划引进…), not a noun (翻番计划)
_PLANNED_IN_CLAUSE = re.compile(r"将|拟|即将|有望|预计|准备|筹建|着手|计划(?=[于在将到今明年内]|[\u4e00-\u9fff]{0,2}(?:吸纳|加入|建设|成立|引进|签约|打造|组建))")
_PLANNED_IN_SENTENCE = re.compile(r"下半年|届时|明年|今后|未来|下一步")


@dataclass
class Statement:
    """A membership (``predicate == "memberOf"``) or a relation, with the key span of its evidence."""

    subject: Ent
    predicate: str
    object: Ent | None
    sent: int
    i: int
    j: int
    status: str = "active"
    value: str | None = None
    role: str | None = None

    @property
    def is_membership(self) -> bool:
        return self.predicate == "memberOf"


class _Sentence:
    """One sentence with its mentions and the helpers the trigger rules share."""

    def __init__(self, s: Sentence, ms: list[Mention], home: Ent | None):
        self.s = s
        self.key = s.key
        self.ms = ms
        self.home = home

    def orgs(self, a: int, b: int) -> list[Mention]:
        return [m for m in self.ms if a <= m.i and m.j <= b and m.ent.is_org]

    def clause_start(self, pos: int) -> int:
        starts = [m.end() for m in _CLAUSE.finditer(self.key, 0, pos)]
        return starts[-1] if starts else 0

    def clause_end(self, pos: int) -> int:
        m = _CLAUSE.search(self.key, pos)
        return m.start() if m else len(self.key.rstrip("。！？!?"))

    def subject_before(self, pos: int, default_home: bool = True) -> list[Mention]:
        """The run of organizations right before ``pos`` in its clause (A、B等), else the home park."""
        run = self.list_before(pos, self.clause_start(pos))
        if run:
            return run
        if default_home and re.match(r"(?:并且|并|还|也|又|随后|进而)", self.key[self.clause_start(pos) :]):
            carried = self.previous_clause_subject(pos)  # …与Y签署协议，并联合X举办…: same subject
            if carried:
                return [carried]
        speaker = [m for m in self.ms if m.i == 0 and m.ent.is_org and re.match(r"(?:表示|称|介绍|透露|指出)", self.key[m.j :])]
        if speaker and default_home:  # X表示，将与Y对接: X speaks of itself
            return speaker
        if default_home and self.home:
            return [Mention(self.s.index, pos, pos, self.home, "implicit")]
        return []

    def previous_clause_subject(self, pos: int) -> Mention | None:
        """The organization opening the nearest earlier clause of the sentence (…与…签署协议，并联合X…)."""
        start = self.clause_start(pos)
        while start > 0:
            start = self.clause_start(start - 1)
            opening = [m for m in self.ms if m.i == start and m.ent.is_org]
            if opening:
                return opening[0]
        return None

    def list_before(self, pos: int, start: int) -> list[Mention]:
        cand = [m for m in self.orgs(start, pos)]
        if not cand:
            return []
        run = [cand[-1]]
        for m in reversed(cand[:-1]):
            if not _SEPARATOR.fullmatch(self.key[m.j : run[0].i]):
                break
            run.insert(0, m)
        return run

    def list_after(self, pos: int, end: int | None = None) -> list[Mention]:
        end = self.clause_end(pos) if end is None else end
        cand = self.orgs(pos, end)
        if not cand:
            return []
        run = [cand[0]]
        for m in cand[1:]:
            if not _SEPARATOR.fullmatch(self.key[run[-1].j : m.i]):
                break
            run.append(m)
        return run

    def status(self, pos: int) -> str:
        """``planned`` when an intent marker precedes ``pos`` (in its clause, or a time word in the sentence)."""
        if _PLANNED_IN_SENTENCE.search(self.key, 0, pos):
            return "planned"
        for m in _PLANNED_IN_CLAUSE.finditer(self.key, self.clause_start(pos)):
            if m.start() >= pos:
                break
            if m.group() == "将" and any(x.i == m.end() for x in self.ms):
                continue  # 将园区中小企业园…: 将 as a preposition, not "will"
            return "planned"
        return "active"


def _span(*parts) -> tuple[int, int]:
    """The smallest key span covering the given mentions and ``(start, end)`` pairs (implicit mentions add nothing)."""
    idx: list[int] = []
    for part in parts:
        if isinstance(part, Mention):
            if part.i < part.j:
                idx += [part.i, part.j]
        elif part is not None:
            idx += list(part)
    return min(idx), max(idx)


def _add(out: list[Statement], sub: Mention, pred: str, obj: Mention | None, sent: _Sentence, span: tuple[int, int], status: str, **kw) -> None:
    if obj is not None and sub.ent is obj.ent:
        return
    out.append(Statement(sub.ent, pred, obj.ent if obj else None, sent.s.index, span[0], span[1], status, **kw))


def _memberships(st: _Sentence, out: list[Statement]) -> None:
    key = st.key
    # Y 吸纳 A、B… 为(Y的)成员单位
    for m in re.finditer(r"(?:吸纳|吸收|纳入|发展)", key):
        w = re.compile(r"为").search(key, m.end())
        while w and not _member_word_after(st, w.end()):
            w = re.compile(r"为").search(key, w.end())
        if not w:  # 吸纳 A、B 加入
            w = re.compile(r"加入").search(key, m.end(), st.clause_end(m.end()) + 1)
            if not w or key[w.end() : w.end() + 1] not in ("", ",", ";", "。", ":"):
                continue
        named = [x for x in st.ms if x.i == w.end() and x.ent.type in _COLLAB]
        members = [x for x in st.orgs(m.end(), w.start())]
        orgs = named or [x for x in st.orgs(0, m.start()) if x.ent.type in _COLLAB - {"IndustrialPark"}]
        if not members or not orgs:
            continue
        org = orgs[-1] if not named else named[0]
        role = re.search(r"等\d*[余多]?[个家所名]?([^\d、,，为]{2,8})$", key[m.end() : w.start()])
        for x in members:
            _add(out, x, "memberOf", org, st, _span(org, x, (w.start(), max(w.end(), _member_word_after(st, w.end())))), st.status(m.start()), role=role.group(1) if role else "成员单位")
    # A、B 加入 Y ; A、B 成为/为 Y(的)成员单位
    for m in re.finditer(r"(?:正式|成功|申请)?加入", key):
        after = st.orgs(m.end(), min(len(key), m.end() + 40))
        members = st.subject_before(m.start(), default_home=False)
        if after and members:
            for x in members:
                _add(out, x, "memberOf", after[0], st, _span(x, after[0]), st.status(m.start()), role="成员单位")
    for m in re.finditer(r"(?:成为|为|是)", key):
        orgs = [x for x in st.ms if x.i == m.end() and x.ent.type in _COLLAB]
        end = _member_word_after(st, m.end())
        if not end or not orgs:
            continue
        members = st.list_before(m.start(), st.clause_start(m.start()))
        if not members:
            members = st.list_before(m.start(), 0)
        for x in members:
            _add(out, x, "memberOf", orgs[0], st, _span(x, (m.start(), end)), st.status(m.start()), role="成员单位")
    # Y(的)成员单位包括/有 A、B
    for m in re.finditer(_MEMBER_WORD + r"(?:包括|包含|有|为)", key):
        orgs = [x for x in st.orgs(0, m.start()) if x.j >= m.start() - 1]
        members = st.list_after(m.end())
        if orgs and members:
            for x in members:
                _add(out, x, "memberOf", orgs[-1], st, _span(orgs[-1], x), st.status(m.start()), role="成员单位")
    # 由 A 牵头(联合 B、C)成立/组建/发起 Y ; Y 由 A、B 组成/发起
    lead = re.search(r"牵头", key)
    if lead:
        v = re.compile(r"(?:成立|组建|发起|筹建|打造)").search(key, lead.end())
        if v:
            ys = [x for x in st.orgs(v.end(), len(key)) if x.ent.type in _COLLAB - {"IndustrialPark"}]
            if ys:
                y = ys[0]
                for x in st.orgs(0, v.start()):
                    role = "牵头单位" if x.j <= lead.start() and x is st.orgs(0, lead.start())[-1] else "成员单位"
                    _add(out, x, "memberOf", y, st, _span(x, y), st.status(lead.start()), role=role)
    for m in re.finditer(r"由", key):  # Y 由 A、B (牵头)(共同)组成/发起
        v = re.compile(r"(?:共同)?(?:组成|发起成立|发起|组建|成立)").search(key, m.end())
        ys = [x for x in st.orgs(0, m.start()) if x.ent.type in _COLLAB - {"IndustrialPark"}]
        if v and ys and v.start() - m.end() <= 60 and not _CLAUSE.search(key, m.end(), v.start()):
            lead = "牵头" in key[m.end() : v.start()]
            if lead and re.search(r"(?:成立|组建|发起|筹建|打造)", key[v.end() :]) and [x for x in st.orgs(v.end(), len(key)) if x.ent.type in _COLLAB]:
                continue  # 由 A 牵头组建 Y: handled above
            for x in st.orgs(m.end(), v.start()):
                _add(out, x, "memberOf", ys[-1], st, _span(ys[-1], x, (v.start(), v.end())), st.status(m.start()), role="牵头单位" if lead else "成员单位")


_MEMBER_AFTER = re.compile(r"(?:其|该)?的?(?:首批|第一批|新|正式)?" + _MEMBER_WORD)


def _member_word_after(st: _Sentence, pos: int) -> int:
    """End of “(Y的)(首批)成员单位” starting at ``pos`` (Y an organization named there), or 0."""
    at = [x for x in st.ms if x.i == pos]
    m = _MEMBER_AFTER.match(st.key, at[0].j if at else pos)
    return m.end() if m else 0


_VERB_OBJECT = {  # trigger -> predicate; the object follows the trigger, the subject precedes it
    "签约": "signedWith",
    "联系": "negotiatesWith",
    "对接": "negotiatesWith",
    "协同建设": "coBuilds",
    "共建": "coBuilds",
    "推荐": "recommends",
    "指导": "guides",
}
_WITH_OBJECT = {"签约": "signedWith", "签署": "signedWith", "签订": "signedWith", "对接": "negotiatesWith", "洽谈": "negotiatesWith"}


def _relations(st: _Sentence, doc: Document, known: KnownEntities, new_ents: dict[str, Ent], out: list[Statement]) -> None:
    key = st.key
    for x in st.ms:
        if x.in_park and st.home:
            _add(out, x, "locatedIn", Mention(x.sent, x.i - 2, x.i, st.home, "home"), st, (x.i - 2, x.j), "active")
    for m in re.finditer(r"(?:成功|正式|已)?(?:落户|入驻|进驻|落地)", key):
        tail = re.search(r"等[^,，;；。]{0,20}$", key[st.clause_start(m.start()) : m.start()])  # A、B等5家企业的…项目落户
        subs = st.list_before(m.start() - len(tail.group()) if tail else m.start(), st.clause_start(m.start()))
        parks = [x for x in st.ms if x.ent.type in _PLACES and m.end() <= x.i <= m.end() + 2]
        obj = parks[0] if parks else (Mention(st.s.index, m.end(), m.end(), st.home, "implicit") if st.home else None)
        for x in subs:
            if obj is not None and x.ent.type not in _PLACES:
                _add(out, x, "locatedIn", obj, st, _span(x, (m.start(), m.end()), obj), st.status(m.start()))
    for trig, pred in _VERB_OBJECT.items():
        for m in re.finditer(trig, key):
            objs = st.list_after(m.end())
            if not objs or objs[0].i > m.end() + 2:
                continue
            subjects = st.subject_before(m.start())
            w = re.search(r"(?:与|同|和)([^,，;；]{2,30})$", key[st.clause_start(m.start()) : m.start()]) if pred == "coBuilds" else None
            if w:  # 与 X 共建 Y: X builds Y too
                a = st.clause_start(m.start()) + w.start()
                subjects = [*st.subject_before(a), *st.orgs(a, m.start())]
            for s_ in subjects:
                for o in objs:
                    _add(out, s_, pred, o, st, _span(s_, o, (m.start(), m.end())), st.status(m.start()))
    for m in re.finditer(r"(?:与|同|和)", key):
        for trig, pred in _WITH_OBJECT.items():
            t = key.find(trig, m.end())
            if t < 0 or t - m.end() > 30 or _CLAUSE.search(key, m.end(), t) or any(v in key[m.end() : t] for v in ("共建", "协同建设")):
                continue
            objs = st.orgs(m.end(), t)
            if not objs:
                continue
            subs = st.subject_before(m.start())
            for s_ in subs:
                for o in objs:
                    _add(out, s_, pred, o, st, _span(s_, o, (m.start(), t + len(trig))), st.status(m.start()))
            break
    # 联合/会同 X 召开/举办 E
    for m in re.finditer(r"(?:联合|会同|携手)", key):
        v = re.compile(r"(?:共同)?(?:召开|举办|主办|承办)").search(key, m.end())
        if not v or v.start() - m.end() > 30:
            continue
        e_end = st.clause_end(v.end())
        event = _named_object(st, doc, v.end(), e_end, "Event", known, new_ents)
        if not event:
            continue
        partners = st.orgs(m.end(), v.start())
        for s_ in [*st.subject_before(m.start()), *partners]:
            _add(out, s_, "coOrganized", event, st, _span(s_, event, (m.start(), m.end())), st.status(m.start()))
    # X 被认定为 Q ; X 申报 Q
    for pat, pred in ((r"(?:被|已|已成功|成功)?(?:认定为|获评为|评为|评定为|获评)", "certifiedAs"), (r"申报", "appliesFor"), (r"(?:成功)?(?:入选|入围)", "selectedFor")):
        for m in re.finditer(pat, key):
            tail = re.search(r"(?:等[^,，;；。]{0,12}|已|已经|已成功|成功|被)$", key[st.clause_start(m.start()) : m.start()])
            subs = st.list_before(m.start() - len(tail.group()) if tail else m.start(), st.clause_start(m.start()))
            subs = [x for x in subs if x.j == (m.start() - len(tail.group()) if tail else m.start()) or x is not subs[-1]]
            if not subs:
                continue
            q_end = st.clause_end(m.end())
            text = key[m.end() : q_end]
            first = re.match(r"(?:\d{4}年(?:度)?)?(?:[^\d]{0,6}?(?:首家|首个|首批|第一家))?", text)
            q_start = m.end() + (first.end() if first else 0)
            q = _named_object(st, doc, q_start, q_end, "Program" if pred == "selectedFor" else "Qualification", known, new_ents)
            if not q:
                continue
            for x in subs:
                _add(out, x, pred, q, st, _span(x, q), st.status(m.start()))
                if first and re.search("首", first.group()) and pred == "certifiedAs":
                    value = doc.name(*st.s.span(m.end() + re.match(r"(?:\d{4}年(?:度)?)?", text).end(), q_end))
                    out.append(Statement(x.ent, "distinction", None, st.s.index, *_span(x, q), "active", value=value))
    # Y 由 X 指导 (X guides Y)
    for m in re.finditer(r"由", key):
        g = re.compile(r"(?:负责)?指导").search(key, m.end())
        guides = st.orgs(m.end(), g.start()) if g and g.start() - m.end() <= 30 else []
        ys = [x for x in st.orgs(st.clause_start(m.start()), m.start())]
        if guides and ys and not _CLAUSE.search(key, m.end(), g.start()):
            for x in guides:
                _add(out, x, "guides", ys[-1], st, _span(ys[-1], x, (g.start(), g.end())), st.status(m.start()))
    # X 在 Y 成立 ; X 在此成立
    for m in re.finditer(r"在(此|这里|.{0,30}?)(?:正式)?(?:成立|揭牌成立|挂牌成立|揭牌)", key):
        where_text = m.group(1)
        parks = [x for x in st.ms if x.ent.type == "IndustrialPark" and m.start() < x.i and x.j <= m.end()]
        obj = parks[0] if parks else (Mention(st.s.index, m.start(), m.start(), st.home, "implicit") if where_text in ("此", "这里") and st.home else None)
        subs = [x for x in st.orgs(st.clause_start(m.start()), m.start()) if x.ent.type != "IndustrialPark"]
        if obj and subs:
            _add(out, subs[-1], "establishedIn", obj, st, _span(subs[-1], (m.start(), m.end())), st.status(m.start()))


def _named_object(st: _Sentence, doc: Document, a: int, b: int, type_: str, known: KnownEntities, new_ents: dict[str, Ent]) -> Mention | None:
    """The entity named at key span ``[a, b)``: a mention already there, a known entity, or a new one."""
    while a < b and st.key[a] in "了的":
        a += 1
    if b - a < 2 or b - a > 40:
        return None
    inside = [x for x in st.ms if a <= x.i and x.j <= b and x.j - x.i >= (b - a) - 1]
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


def find_statements(doc: Document, found: Found, known: KnownEntities | None = None) -> tuple[list[Statement], list[Ent]]:
    """Memberships and relations in ``doc``, and the non-organization entities they point to (qualifications, events)."""
    out: list[Statement] = []
    new_ents: dict[str, Ent] = {}
    known = known or KnownEntities([])
    for e in found.ents:
        if e.known:
            new_ents["known:" + e.known.id] = e
    for s in doc.sentences:
        st = _Sentence(s, found.mentions(s.index), found.home)
        _memberships(st, out)
        _relations(st, doc, known, new_ents, out)
    for e in found.ents:
        if e.parent_park:
            park, m = e.parent_park
            out.append(Statement(e, "partOf", park, m.sent, m.i, m.j))
    seen: set[tuple] = set()
    unique: list[Statement] = []
    for st_ in out:
        k = (id(st_.subject), st_.predicate, id(st_.object), st_.value, st_.status)
        if k not in seen:
            seen.add(k)
            unique.append(st_)
    extra = [e for e in new_ents.values() if e not in found.ents]
    return unique, extra
