"""Relations between the entities of an article, from trigger words in each sentence.

Located in the park (园区X公司, 落户, 入驻, 位于), signed with (签约, 签署, a signing ceremony),
negotiates with (对接, 联系), established in (在…成立), co-builds (协同建设, 共建; the parties of a
signing before it), recommends (推荐), guides (指导, 在X指导下), part of (X是Y的组成部分, a park
named inside another's name), manages (P运营主体C). Relations to what the rules name as they read
(certified as, applies for, selected for, co-organized, develops) come from
:mod:`~kg.extract.grants`, memberships from :mod:`~kg.extract.memberships` joined with the pairs a
learned model keeps (:mod:`~kg.extract.pairs`); the sentence helpers from :mod:`~kg.extract.clause`.
"""

from __future__ import annotations

import re

from kg.extract.clause import BODIES, CLAUSE, COLLAB, PLACES, Recent, SentenceView, Statement, add_statement, span_of
from kg.extract.document import Document
from kg.extract.grants import co_organized, develops, granted
from kg.extract.known import KnownEntities
from kg.extract.learn import load_model
from kg.extract.memberships import find_memberships
from kg.extract.orgs import Ent, Found, Mention
from kg.extract.pairs import Pairs

__all__ = ["Statement", "find_statements"]

_VERB_OBJECT = {  # trigger -> predicate; the object follows the trigger, the subject precedes it
    "签约": "signedWith",
    "联系": "negotiatesWith",
    "对接": "negotiatesWith",
    "协同建设": "coBuilds",
    "共建": "coBuilds",
    "推荐": "recommends",
    "指导": "guides",
}
_COUNTED_REFERENCE = re.compile(r"(?:这|该|上述)?(?:两|二|三|四|五|几|多)?(?:家|所|个)?(?:企业|单位|公司|机构|高校)")
_WITH_OBJECT = {"签约": "signedWith", "签署": "signedWith", "签订": "signedWith", "对接": "negotiatesWith",
                "洽谈": "negotiatesWith"}
# patterns matched at a position or ending at one ($), with how far a match reaches when the search is bounded
_TAIL_20 = re.compile(r"等[^,，;；。]{0,20}$")  # at most 21 characters
_TAIL_12 = re.compile(r"等[^,;。]{0,12}$")  # at most 13
_WITH_WHOM = re.compile(r"(?:与|同|和)([^,，;；]{2,30})$")  # at most 31
_GUIDE = re.compile(r"(?:负责)?指导")  # at most 4



def _collab(st: SentenceView):
    return st.orgs_of(COLLAB - {"IndustrialPark"})


def _relations(st: SentenceView, doc: Document, known: KnownEntities, new_ents: dict[str, Ent],
               out: list[Statement]) -> None:
    _located(st, out)
    _with_objects(st, out)  # before co-building: A与B签署协议，共建Y takes A and B from here
    _signing_ceremony(st, out)
    _verb_objects(st, out)
    co_organized(st, doc, known, new_ents, out)
    granted(st, doc, known, new_ents, out)
    _guides(st, out)
    _guiding_units(st, out)
    _established(st, out)
    develops(st, doc, known, new_ents, out)
    _structure(st, out)


def _located(st: SentenceView, out: list[Statement]) -> None:
    """园区X公司 ; A、B(等N家企业)落户/入驻 P ; …，两家企业将入驻P (the run named before)."""
    key = st.key
    for x in st.ms:
        if x.in_park and st.home:
            add_statement(out, x, "locatedIn", Mention(x.sent, x.i - 2, x.i, st.home, "home"), st, (x.i - 2, x.j),
                          "active")
    for m in re.finditer(r"(?:落户|入驻|进驻|位于|坐落于|地处|扎根)(?:于|在)?", key):  # 落户VR基地的A ; 位于园区的A
        parks = [x for x in st.at(m.end()) if x.ent.type in PLACES]
        where = parks[0] if parks else (Mention(st.s.index, m.end(), m.end() + 2, st.home, "home")
                                        if st.home and key.startswith("园区", m.end()) else None)
        if where is None or not key.startswith("的", where.j if parks else m.end() + 2):
            continue
        after = where.j + 1 if parks else m.end() + 3
        for x in st.list_after(after) if st.at(after) else ():
            if x.ent.type not in PLACES or x.ent is not where.ent:
                add_statement(out, x, "locatedIn", where, st, span_of(x, (m.start(), m.end()), where),
                              st.status(m.start()))
    for m in re.finditer(r"(?:成功|正式|已)?(?:落户|入驻|进驻|落地|迁入|搬入|迁至)", key):
        start = st.clause_start(m.start())
        tail = _TAIL_20.search(key, max(start, m.start() - 21), m.start())  # A、B等5家企业的…项目落户
        subs = st.list_before(m.start() - len(tail.group()) if tail else m.start(), start)
        if not subs and _COUNTED_REFERENCE.match(key, start):
            subs = st.previous_clause_run(start)  # A、B与C签约，两家企业将入驻P
        parks = [x for x in st.mentions.starting(m.end(), m.end() + 2) if x.ent.type in PLACES]
        obj = parks[0] if parks else (Mention(st.s.index, m.end(), m.end(), st.home, "implicit") if st.home else None)
        for x in subs:
            if obj is not None and x.ent.type not in PLACES:
                add_statement(out, x, "locatedIn", obj, st, span_of(x, (m.start(), m.end()), obj), st.status(m.start()))


def _with_objects(st: SentenceView, out: list[Statement]) -> None:
    """X 与 A、B(等N家企业) 签约/签署/对接: the object is the run of names right before the verb."""
    key = st.key
    for m in re.finditer(r"(?:与|同|和)", key):
        if st.inside_name(m.start()) or m.start() not in st.toks.starts:
            continue  # 与 inside a name, 同 inside 共同体
        for trig, pred in _WITH_OBJECT.items():
            t = st.find(trig, m.end())
            named = st.named_length(m.end(), t) if t > 0 else 0
            if (t < 0 or t - m.end() - named > 30 or st.clause_start(t) > m.end()
                or any(0 <= st.find(v, m.end()) <= t - len(v) for v in ("共建", "协同建设"))):
                continue
            objs = st.list_before(t, m.end())  # 与产业园运营主体C签约 is with C
            if not objs:
                continue
            for s_ in st.subject_before(m.start()):
                for o in objs:
                    add_statement(out, s_, pred, o, st, span_of(s_, o, (m.start(), t + len(trig))),
                                  st.status(m.start()))
            break


def _signing_ceremony(st: SentenceView, out: list[Statement]) -> None:
    """X 举行…签约仪式，A、B(等N个项目)现场签约: X signed with A and B."""
    key = st.key
    host = re.search(r"(?:举行|举办|组织)[^,;。]{0,20}签约(?:仪式|大会|活动)", key)
    if not host:
        return
    organizers = st.list_before(host.start(), st.clause_start(host.start()))
    for m in re.finditer(r"(?:现场|集中|正式)?签约", key[host.end() :]):
        a = host.end() + m.start()
        start = st.clause_start(a)
        if any(0 <= st.find(w, start) < a for w in "与同"):
            continue  # 与X签约: _with_objects
        tail = _TAIL_12.search(key, max(start, a - 13), a)
        subs = st.list_before(a - len(tail.group()) if tail else a, start)
        for o in organizers[-1:]:
            for x in subs:
                add_statement(out, o, "signedWith", x, st, span_of(o, x, (a, a + len(m.group()))), st.status(a))


def _verb_objects(st: SentenceView, out: list[Statement]) -> None:
    """X 签约/对接/共建/推荐/指导 Y; a clause without a subject
    that co-builds takes the parties of a signing before it."""
    key = st.key
    for trig, pred in _VERB_OBJECT.items():
        for m in re.finditer(trig, key):
            objs = st.list_after(m.end())
            if not objs or objs[0].i > m.end() + 2 or "、" in key[m.end() : objs[0].i] or st.inside_name(m.start()):
                continue  # 由X指导、Y牵头: the verb ends a list item, it has no object
            subjects = st.subject_before(m.start(), default_home=False)
            if not subjects and pred == "coBuilds":
                subjects = st.signing_parties(m.start(), out)  # A与B签署协议，(双方将)共建Y
            subjects = subjects or st.subject_before(m.start())
            w = _WITH_WHOM.search(key, max(st.clause_start(m.start()), m.start() - 31),
                                  m.start()) if pred == "coBuilds" else None
            if w:  # 与 X 共建 Y: X builds Y too
                a = w.start()
                subjects = [*st.subject_before(a), *st.orgs(a, m.start())]
            for s_ in subjects:
                for o in objs:
                    add_statement(out, s_, pred, o, st, span_of(s_, o, (m.start(), m.end())), st.status(m.start()))


def _guides(st: SentenceView, out: list[Statement]) -> None:
    """Y 由 X 指导 ; Y成立于…，由X指导 ; 在X指导下，(由A牵头成立的)Y."""
    key = st.key
    for m in re.finditer(r"由", key):
        g = _GUIDE.search(key, m.end(), m.end() + 34)  # within 30 characters, or not at all
        guides = st.orgs(m.end(), g.start()) if g and g.start() - m.end() <= 30 else []
        if not guides:
            continue
        ys = [x for x in [st.last_org(st.clause_start(m.start()), m.start())] if x is not None]
        if not ys and st.clause_start(m.start()) > 0:  # Y成立于2019年，由X指导: Y opens the sentence
            ys = [x for x in [st.previous_clause_subject(m.start())] if x is not None]
        if ys and not CLAUSE.search(key, m.end(), g.start()):
            for x in guides:
                add_statement(out, x, "guides", ys[-1], st, span_of(ys[-1], x, (g.start(), g.end())),
                              st.status(m.start()))
    for m in re.finditer(r"在([^,;。]{2,40}?)的?指导下", key):
        guides = st.orgs(m.start(1), m.end(1))
        # …牵头成立的Y
        ys = [y for y in [st.first_org(m.end(), len(key), lambda y: key[y.i - 1 : y.i] == "的", _collab(st))] if y]
        ys = ys or [y for y in [st.first_org(m.end(), len(key), lambda y: key[y.i - 1 : y.i] != "由", _collab(st))]
                    if y]
        for x in guides[-1:]:
            for y in ys:
                add_statement(out, x, "guides", y, st, span_of(x, y), st.status(m.start()))


def _guiding_units(st: SentenceView, out: list[Statement]) -> None:
    """X(、Y)担任/为(联盟的)(业务)指导单位: X guides the body the sentence or the article speaks of
    (not in a sentence about a conference, where the guided thing is the event)."""
    key = st.key
    if re.search(r"主办|承办|大会|论坛|会议|活动", key):
        return
    for m in re.finditer(r"(?:为|担任|作为)(?:[^,;。]{0,8}的)?(?:业务)?指导单位", key):
        run = st.list_before(m.start(), st.clause_start(m.start()))
        body = st.body_before(run[0].i, tuple(run)) if run else None
        for x in run if body is not None else ():
            add_statement(out, x, "guides", body, st, span_of(x, (m.start(), m.end())), st.status(m.start()))


def _established(st: SentenceView, out: list[Statement]) -> None:
    """X 在 P 成立/揭牌 ; X 在此成立."""
    key = st.key
    for m in re.finditer(r"在(此|这里|.{0,30}?)(?:正式)?(?:成立|揭牌成立|挂牌成立|揭牌)", key):
        where_text = m.group(1)
        parks = [x for x in st.mentions.starting(m.start() + 1, m.end()) if x.ent.type in PLACES and x.j <= m.end()]
        obj = parks[0] if parks else (Mention(st.s.index, m.start(), m.start(), st.home, "implicit")
                                      if where_text in ("此", "这里") and st.home else None)
        sub = st.last_org(st.clause_start(m.start()), m.start(),
                          lambda x: x.ent.type != "IndustrialPark") if obj else None
        if obj and sub:
            add_statement(out, sub, "establishedIn", obj, st, span_of(sub, (m.start(), m.end())), st.status(m.start()))


_PART_OF = re.compile(r"(?:是|为|系)(?:[^,;。]{0,12}?)的?(?:重要|核心|主要)?(?:组成部分|一部分)")
_RUN_BY = re.compile(r"(?:的)?(?:运营主体|运营方|运营商|运营单位|管理机构)")
_LOCATED = re.compile(r"位于")


def _structure(st: SentenceView, out: list[Statement]) -> None:
    """Part of (X是Y的组成部分), run by (P运营主体C), located in (位于X的Y, Y位于X)."""
    key = st.key
    for m in _PART_OF.finditer(key):
        xs = st.list_before(m.start(), st.clause_start(m.start()))
        ys = [y for y in st.orgs(m.start(), m.end()) if y.ent.is_org]
        if xs and ys:
            add_statement(out, xs[-1], "partOf", ys[-1], st, span_of(xs[-1], ys[-1], (m.start(), m.end())), "active")
    for m in _RUN_BY.finditer(key):
        ps = [x for x in st.mentions.ending_at(m.start()) if x.ent.type in PLACES]
        cs = [x for x in st.at(m.end()) if x.ent.is_org]
        if ps and cs:
            add_statement(out, cs[0], "manages", ps[0], st, span_of(ps[0], cs[0]), "active")
    for m in _LOCATED.finditer(key):
        where = [x for x in st.at(m.end()) if x.ent.type in PLACES | {"IndustrialPark"}]
        if not where:
            continue
        after = key.startswith("的", where[0].j)
        whats = [x for x in st.at(where[0].j + 1)
                 if x.ent.is_org] if after else st.list_before(m.start(), st.clause_start(m.start()))
        for x in whats:
            add_statement(out, x, "locatedIn", where[0], st, span_of(x, where[0], (m.start(), m.end())),
                          st.status(m.start()))


# …作为首批成员参与组建（排名不分先后）： ; 新吸纳成员单位19家，…，主要包括：
_LISTS_MEMBERS = re.compile(r"(?:成员|会员)"
                            r"(?:[^;。]{0,24}(?:如下)?(?:\([^()]{0,12}\))?|[^;。]{0,80}(?:包括|如下|名单)):")


def _list_item(st: SentenceView) -> Mention | None:
    """The organization when the sentence is one item of a list: 厦门大学信息学院； / A（牵头单位）。 / 2．B；"""
    orgs = [m for m in st.ms if m.ent.is_org]
    if not orgs or not all(m.ent is orgs[0].ent for m in orgs):
        return None
    lead = re.match(r"(?:\d{1,2}[.、]|\([一二三四五六七八九十\d]+\))?", st.key)
    ok = orgs[0].i == lead.end() and re.fullmatch(r"(?:\([^()]{0,12}\))?[;。.]?", st.key[orgs[0].j :])
    return orgs[0] if ok else None


_HEADING = re.compile(r"[一二三四五六七八九十]+、([^,;:。]{0,16})")
_MEMBER_HEADING = re.compile(r"成员|会员")


class _Context:
    """What one sentence passes to the next: the body the article speaks of (``topic``), the bodies
    named so far (``recent``), the status of a members heading (``section``) and a list of members
    that goes on one item per sentence (``listing``)."""

    def __init__(self) -> None:
        self.topic: Ent | None = None
        self.recent = Recent()
        self.section: str | None = None  # under a heading 一、首批成员单位 (active) or 二、拟吸纳成员单位 (planned)
        self.listing: tuple[Ent, str] | None = None

    def view(self, s, found: Found) -> SentenceView:
        st = SentenceView(s, found.mentions(s.index), found.home, self.topic, self.recent)
        heading = _HEADING.match(s.key)
        if heading:
            self.section = None if not _MEMBER_HEADING.search(heading.group(1)) else st.status(heading.end())
        st.section = self.section
        return st

    def after(self, st: SentenceView, out: list[Statement], before: int) -> None:
        """Update from the sentence ``st``, whose statements are ``out[before:]``."""
        joined = [x.object for x in out[before:] if x.is_membership and x.object is not None]
        if st.listing:
            self.listing = st.listing
        elif header := _LISTS_MEMBERS.search(st.key):  # …作为首批成员参与组建（排名不分先后）：1.A；
            named = st.body_before(len(st.key))
            body = joined[-1] if joined else named.ent if named else None
            self.listing = (body, st.status(len(st.key))) if body else None
            for x in st.list_after(header.end()) if body else ():
                add_statement(out, x, "memberOf", Mention(st.s.index, 0, 0, body, "implicit"), st, (x.i, x.j),
                              self.listing[1], role="成员单位")
                joined.append(body)
        # what the next sentences speak of: the body that just gained members, else the first one named
        self.topic = joined[-1] if joined else next((m.ent for m in st.ms if m.ent.type in BODIES), self.topic)
        self.recent.named(list(dict.fromkeys(m.ent for m in st.ms if m.ent.type in BODIES)))


def find_statements(doc: Document, found: Found, known: KnownEntities | None = None,
                    pairs: Pairs | None = None) -> tuple[list[Statement], list[Ent]]:
    """Memberships and relations in ``doc``, and the non-organization
    entities they point to (qualifications, events). The memberships are the candidate pairs
    (:mod:`~kg.extract.pairs`, gathered in ``pairs`` when given) the learned model keeps."""
    out: list[Statement] = []
    pairs = Pairs() if pairs is None else pairs
    pairs.expect(found.ents)
    new_ents: dict[str, Ent] = {}
    known = known or KnownEntities([])
    for e in found.ents:
        if e.known:
            new_ents["known:" + e.known.id] = e
    ctx = _Context()
    for s in doc.sentences:
        st = ctx.view(s, found)
        before = st.out_from = len(out)
        item = _list_item(st) if ctx.listing else None
        if item is not None:  # …成员单位如下：A（牵头单位）；B；C。 / (一)首批成员单位：1.A；2.B；
            body, status = ctx.listing
            add_statement(out, item, "memberOf", Mention(s.index, 0, 0, body, "implicit"), st, (item.i, item.j), status,
                          role="成员单位")
        else:
            ctx.listing = None
        find_memberships(st, out)
        _relations(st, doc, known, new_ents, out)
        ctx.after(st, out, before)
        pairs.see(st, [x for x in out[before:] if x.is_membership])
    model = load_model("members")
    if model is not None:
        out = [x for x in out if not x.is_membership] + pairs.statements(model)
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
