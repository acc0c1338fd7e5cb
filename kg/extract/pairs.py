"""Membership pairs proposed widely and decided by a learned classifier (``kg/extract/models/members.json``).

The wording rules (:mod:`~kg.extract.memberships`) are precise on the phrasings they were written
for and silent on the others. Here every organization named in a sentence with a body that has
members (联盟, 共同体, 协会, 商会…; the :data:`NEAREST` named on either side of it) — or, in a clause that speaks of
members or a list a header opened, in a sentence soon after one, the body then being the one the article speaks
of — is a candidate member of it; so is every organization after one whose name a member word follows
(X的17个理事单位(A、B…): X has members there whatever its type, up to the next such X; the list the word
opens is kept as surely as the rules' pairs, with the status said of it; so is the list before 作为 in
A、B作为X发起单位, also where X's name is not linked there). Each candidate pair gets general
features (:mod:`~kg.extract.pairfeatures`: cue words of its clause, of the text between the two
names and around the member, distances, list structure, types) and a logistic model trained on
the annotated real articles (``scripts/train_members.py``) keeps or drops it; it never sees the
rules' verdict, and the rules' own pairs are kept beside its own (:func:`choose`; a floor of
probability for them is measured, not shipped). In a sentence naming other bodies, the organizations of a clause
about members are candidates of the article's first body; 分别 pairs n organizations with n bodies in order
(:mod:`~kg.extract.respectively`), stated like the rules' where its clause speaks of membership; a body the
article's organizations hold twice under two names takes its pairs under one of them (:mod:`~kg.extract.samebody`).
The status (:mod:`~kg.extract.pairstatus`) comes from the rules when they spoke, else from the intent markers before
the end of the member's clause (for 分别, from its bodies on, and the most cautious of all said of it): planned is
never made active. A veto feature (a guest, a supporter…) stops the proposal of its sentence; a pair all of whose
sentences are vetoed is dropped.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace

from kg.extract.clause import SentenceView, Statement, evidence, span_of
from kg.extract.learn import Model
from kg.extract.orgs import Ent, Mention
from kg.extract.pairfeatures import (
    MEMBER_WORDS,
    NUMERAL,
    SPEAKS_OF_MEMBERS,
    UNITS,
    bucket,
    closing,
    cues,
    features,
    is_body,
    masked,
    runs,
)
from kg.extract.pairstatus import cautious, status, status_over
from kg.extract.references import BodyNames
from kg.extract.respectively import MEMBERSHIP, respectively
from kg.extract.samebody import same_bodies

__all__ = ["Pair", "Pairs", "choose"]

_OPENS_LIST = re.compile(r"[:：]\s*$|(?:如下|名单|包括|分别是|分别为)[:：]?\s*[;；。]?\s*$")
_SENT_OF_MEMBERS = frozenset("sent:" + k.split(":")[1] for k in SPEAKS_OF_MEMBERS)
_SPEAKS_OF_OTHERS = frozenset({"clause:meet", "clause:place", "clause:serve", "clause:guide"})
# the model's pairs never kept with these features (X的发起: X does not act; 在X举行: X is where it happens;
# 在X等单位的大力支持下: X supports; A、B共同发起设立的Z基金: A founds Z, which has no members, and Z joins nothing;
# A、B的相关领导出席: guests — not A、B等会员企业代表出席, where a member word comes before the guest word)
VETO = frozenset({"member_de", "venue", "since_body", "supports", "founds_other", "founded", "guest", "serves"})
_OWNS_MEMBERS = re.compile(r"的?" + NUMERAL + r"?[个家名]?(?:首批|新|全体)?(" + UNITS + r")(?:[(:]|包括|有|为|是)?")
# A、B…9家单位作为X发起单位 / A将作为X的成员单位: the list before 作为 is named X's members, whatever X's type
_AS_MEMBERS = re.compile(r"(?:等)?(?:" + NUMERAL + r"[个家所名][\u4e00-\u9fff]{0,3}?)?(?:将|拟)?作为")
# (not X成员单位的主管部门: what serves the members is none; X成员单位的代表 is)
_MEMBERS_WORD = re.compile(r"的?(?:首批|新|全体)?(发起单位|" + MEMBER_WORDS + ")"
                           r"(?!的(?!身份|代表))")
# 推荐A、B作为X成员单位, A、B分别申请加入X和Y, 邀请A、B入盟: proposed, asked or invited, not yet members
_NOMINATED = re.compile(r"推荐|提名|申报|申请|邀请")
NEAREST = 4  # body mentions on either side of an organization it is paired with (a sentence naming more: a list)
MAX_GAP = 3  # sentences after the body was last named that may still speak of it
RULE_FLOOR = 0.0  # a rules' pair is kept when the model gives it at least this (0: always; the threshold: no favour)
LONG_LIST = 3  # items of a list that may take the cue of another clause of their sentence
LIST_FLOOR = 0.2  # an item of a long list another item of which joins the body joins it too from this probability
LIST_MEAN = 0.35  # … and so does every item of a long list the model gives at least this on average


@dataclass(frozen=True)
class _Each:
    """A 分别 pair of a member in one sentence: its body, the span quoted, and whether it is stated."""

    body: Ent
    span: tuple[int, int]
    stated: bool


@dataclass
class Pair:
    """A candidate membership: the member, the body, the evidence span of its best sentence, its features."""

    member: Ent
    body: Ent
    sent: int
    i: int
    j: int
    status: str
    features: dict[str, float] = field(default_factory=dict)
    rule: Statement | None = None  # the rules' first statement of the pair
    rules: list[Statement] = field(default_factory=list)  # all of them (planned in one sentence, active later)
    sents: set[int] = field(default_factory=set)  # the sentences that propose it
    # "on": a clause proposing it speaks of members; "off": none does and one speaks of something else
    # (A、B等企业负责人参加会议 ; A、B入驻高新区): the model's pair is dropped whatever its features say
    topic: str = ""
    lists: set[tuple[int, int]] = field(default_factory=set)  # the long lists it is an item of: (sentence, start)
    vetoed: set[int] = field(default_factory=set)  # the sentences whose proposal a VETO feature stops (guests there)
    vetoed_features: dict[str, float] = field(default_factory=dict)  # their features: the pair's when all are vetoed
    confidence: float | None = None  # the model's probability when it alone kept the pair (:func:`choose`), else None

    def add(self, feats: dict[str, float]) -> None:
        for k, v in feats.items():
            if v > self.features.get(k, 0.0):
                self.features[k] = v


class Pairs:
    """The candidate pairs of one article, gathered sentence by sentence (:meth:`see`)."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[int, int], Pair] = {}
        self.named_at: dict[int, int] = {}  # id(body) -> last sentence that named it
        self.bodies = 0
        self.times_named: dict[int, int] = {}  # id(body) -> how many sentences name it
        self.first: Ent | None = None  # the first body the article names
        self.listing = False  # the previous sentence opened a list (…如下：) or was an item of one
        self.names = BodyNames([])  # the names of the bodies the article names anywhere
        self.others = BodyNames([])  # … and of its other organizations (A作为X成员单位: X has members)
        self.last: Ent | None = None  # the body named last (also where the finder did not link its name)
        self.same: dict[int, Ent] = {}  # id of a body found twice under two names -> the one it is (samebody)

    def expect(self, ents: list[Ent]) -> None:
        """Know the bodies the article names anywhere, so a sentence that writes one of their names the finder did not
        link there (中关村软件园党建工作联席会 read as the park; 17党建联盟中的1是指…) names it all the same."""
        self.names = BodyNames([e for e in ents if is_body(e)])
        self.others = BodyNames([e for e in ents if e.is_org and not is_body(e)])
        self.same = same_bodies(ents)

    def canon(self, e: Ent) -> Ent:
        """The body ``e`` is when the article's organizations hold it twice (:func:`~kg.extract.samebody.same_bodies`),
        else ``e``."""
        return self.same.get(id(e), e)

    def see(self, st: SentenceView, rules: list[Statement]) -> None:
        """Propose the pairs of the sentence ``st`` (``rules``: the rules' memberships stated in it)."""
        each = self._respectively(st, rules)
        for r in rules:
            if r.is_membership and r.object is not None and _agrees(each, r, self.canon):
                m = st.first_of(r.subject) or Mention(st.s.index, r.i, r.i, r.subject, "rule")
                self._occur(st, m, None, r.object, {"rule": 1.0, f"rule_role={r.role}": 1.0}, r)
        named = [b for b in st.ms if is_body(b.ent)]
        named += self.names.unlinked(st.key, st.s.index, named)
        orgs = [x for x in st.ms if x.ent.is_org]
        for b, near in _nearest(named, orgs):
            for x in near:
                if x.ent is not b.ent and (b.how != "text" or x.j <= b.i or b.j <= x.i):
                    self._occur(st, x, b, b.ent, {}, None)
        self._owners(st, orgs)
        self._named_members(st, orgs)
        self._spoken_of(st, orgs, named)
        for b in named:
            e = self.canon(b.ent)
            self.first = self.first or e
            self.last = e
            if id(e) not in self.named_at:
                self.bodies += 1
            self.named_at[id(e)] = st.s.index
        for e in {id(self.canon(b.ent)) for b in named}:
            self.times_named[e] = self.times_named.get(e, 0) + 1

    def _respectively(self, st: SentenceView, rules: list[Statement]) -> dict[int, list[_Each]]:
        """分别's pairs, stated like the rules' when the 分别 clause speaks of membership (``MEMBERSHIP``) and no VETO
        feature stops one (guests 分别为X、Y揭牌; 分别与A、B签署协议 is no membership: the pair is only proposed, the
        ``respectively`` feature telling the model). The status is the most cautious of what is said from the bodies
        to the member (X和Y拟于下月揭牌，分别由A、B担任…: planned), of an application, a nomination or an invitation in
        its clauses (分别申请加入X和Y: planned) and of the rules' statements of the member over that span (A、B分别申请
        加入X和Y: the rules' planned B→X makes B→Y planned). Returns id of each member -> its 分别 pairs here, so that
        the rules' statements of that member over their span are dropped (:func:`_agrees`)."""
        out: dict[int, list[_Each]] = {}
        key, ruled, asked, said = masked(st), {}, {}, {}  # each clause (or span of clauses) read once
        for x in rules:
            if x.is_membership:
                ruled.setdefault(id(self.canon(x.subject)), []).append(x)
        for r in respectively(st, self.names):
            member, body = self.canon(r.member.ent), self.canon(r.body)
            span = st.clause_start(r.span[0]), st.clause_end(max(r.span[1] - 1, r.span[0]))
            if span not in asked:
                asked[span] = _NOMINATED.search(key, *span) is not None
            if r.each not in said:
                said[r.each] = MEMBERSHIP.search(key, st.clause_start(r.each), st.clause_end(r.each)) is not None
            state = cautious(status_over(st, r.member, r.span[0]), "planned" if asked[span] else "active")
            for x in ruled.get(id(member), ()):
                state = cautious(state, x.status) if _overlap((x.i, x.j), r.span) else state
            vetoed = VETO & features(st, r.member, r.at, body).keys()
            sure = Statement(r.member.ent, "memberOf", body, st.s.index, *evidence(r.span, r.member), state,
                             role="成员单位") \
                if said[r.each] and not vetoed else None
            p = self._occur(st, r.member, r.at, body, {"respectively": 1.0}, sure)
            if p is not None and p.rule is None and p.sent == st.s.index:
                p.status = cautious(p.status, state)  # the model's pair, if it keeps it
            out.setdefault(id(member), []).append(_Each(body, r.span, sure is not None))
        return out

    def _owners(self, st: SentenceView, orgs: list[Mention]) -> None:
        """X的17个理事单位(A、B…): X has members there, whatever its type. Its candidates are the organizations after it
        up to the next such X (n of them in a sentence stay n stretches, not n²); the list the word opens is stated."""
        key = masked(st)
        owners = sorted(((b, w) for b in orgs if not is_body(b.ent) and (w := _OWNS_MEMBERS.match(key, b.j))),
                        key=lambda bw: bw[0].i)
        for k, (b, word) in enumerate(owners):
            stop = owners[k + 1][0].i if k + 1 < len(owners) else len(key)
            listed = st.list_after(word.end())
            listed_ids = {id(m) for m in listed} if listed and listed[0].i == word.end() else set()
            if key.startswith("(", word.end() - 1):  # X的17个理事单位(A、B、煤(能源)化工联盟、C…): listed inside
                listed_ids.update(id(m) for m in st.orgs(word.end(), closing(key, word.end())))
            for x in st.orgs(b.j, stop):
                if x.ent is b.ent:
                    continue
                sure = Statement(x.ent, "memberOf", b.ent, st.s.index, *evidence(span_of(b, x), x),
                                 status(st, x, b), role=word.group(1)) if id(x) in listed_ids else None
                self._occur(st, x, b, b.ent, {"body_by_word": 1.0}, sure)

    def _named_members(self, st: SentenceView, orgs: list[Mention]) -> None:
        """A、B…9家单位作为X发起单位: the list before 作为 is stated a member of X, whatever X's type, also where the
        finder did not link X's name (one pass over the 作为 of the sentence; the status is the one said of each)."""
        key = masked(st)
        starts = {m.i: m for m in orgs}
        for gap in _AS_MEMBERS.finditer(key):
            b = starts.get(gap.end()) or self.others.at(st.key, st.s.index, gap.end())
            word = _MEMBERS_WORD.match(key, b.j) if b is not None else None
            run = st.list_before(gap.start(), st.clause_start(gap.start())) if word else []
            if not run or run[-1].j != gap.start():
                continue
            nominated = _NOMINATED.search(key, st.clause_start(run[0].i), run[0].i) is not None
            for x in run:
                if x.ent is not b.ent:
                    sure = Statement(x.ent, "memberOf", b.ent, st.s.index, *evidence(span_of(x, b), x),
                                     "planned" if nominated else status(st, x, b), role=word.group(1))
                    self._occur(st, x, b, b.ent, {"named_as_member": 1.0}, sure)

    def _spoken_of(self, st: SentenceView, orgs: list[Mention], named: list[Mention]) -> None:
        """The body the article speaks of, not named in the sentence: its organizations may join it, in a clause
        that speaks of members, or as the items of a list that a header (成员单位如下：) opened before. When the
        sentence names other bodies (a member that is itself a body: 子联盟), only in a clause about members."""
        body = self.first if named else self.canon(st.topic) if st.topic is not None else self.last
        if body is not None and any(self.canon(b.ent) is body for b in named):
            body = None
        gap = st.s.index - self.named_at.get(id(body), -99) if body is not None else 99
        going_on = self.listing and _mostly_names(st, orgs) and not named
        for x in orgs if body is not None and (gap <= MAX_GAP or going_on) else ():
            if x.ent is not body and (going_on or _speaks_of_members(st, x)):
                extra = {"implicit": 1.0, "gap=" + bucket(gap, (1, 2, 3)): 1.0, "list_goes_on": float(going_on),
                         "other_body_named": float(bool(named))}
                self._occur(st, x, None, body, extra, None)
        self.listing = going_on or _OPENS_LIST.search(st.key) is not None

    def _occur(self, st: SentenceView, x: Mention, b: Mention | None, body: Ent, extra: dict[str, float],
               rule: Statement | None) -> Pair | None:
        """Propose ``x`` as a member of ``body`` (named at ``b``) in the sentence; the pair, or None when it is none."""
        member, body = self.canon(x.ent), self.canon(named := body)
        if member is body and rule is None:
            return None  # 天津市…联盟 beside 讯天津市…联盟: one body, it joins nothing
        if member is body:
            member, body = x.ent, named  # the rules relate the two names: two bodies after all, kept as said
        if rule is not None and (rule.subject is not member or rule.object is not body):
            rule = replace(rule, subject=member, object=body)
        feats = features(st, x, b, body)
        feats.update(extra)
        vetoed = rule is None and bool(VETO & feats.keys())
        k = (id(member), id(body))
        p = self.by_key.get(k)
        if p is None or rule is None and p.rule is None and not vetoed and p.sents <= p.vetoed:
            # the first proposal, or the first unvetoed one: it quotes its sentence
            i, j = evidence(span_of(x, b) if b is not None else (x.i, x.j), x)
            p = p or self.by_key.setdefault(k, Pair(member, body, st.s.index, i, j, "active"))
            p.sent, p.i, p.j, p.status = st.s.index, i, j, status(st, x, b)
        if rule is not None and p.rule is None:
            p.rule, p.sent, p.i, p.j, p.status = rule, rule.sent, rule.i, rule.j, rule.status
        if rule is not None:
            p.rules.append(rule)
        p.sents.add(st.s.index)
        if vetoed:  # a guest here (A、B的领导出席): this sentence's proposal counts for nothing unless all are vetoed
            p.vetoed.add(st.s.index)
            p.vetoed_features.update((k, v) for k, v in feats.items() if v > p.vetoed_features.get(k, 0.0))
            return p
        p.add(feats)
        first, _, size = runs(st).get(id(x), (x, x, 1))
        if size >= LONG_LIST:
            p.lists.add((st.s.index, first.i))
        said = cues(st, st.clause_start(x.i)).keys()
        if p.topic != "on":
            p.topic = "on" if SPEAKS_OF_MEMBERS & said else "off" if _SPEAKS_OF_OTHERS & said else p.topic
        return p

    def decide(self, model: Model | None) -> list[Pair]:
        """The rules' pairs and those the model keeps (the model never sees the rules' verdict: trained
        without it, its weights are those of wordings the rules do not know)."""
        main = max(self.times_named, key=self.times_named.get) if self.times_named else None
        for p in self.by_key.values():
            if _vetoed(p):
                p.add(p.vetoed_features)
            p.add({"n_bodies=" + bucket(self.bodies, (1, 2, 4)): 1.0,
                   "n_sents=" + bucket(len(p.sents - p.vetoed) or len(p.sents), (1, 2)): 1.0,
                   "body_main": float(id(p.body) == main)})
        return choose(list(self.by_key.values()), model)

    def statements(self, model: Model | None) -> list[Statement]:
        """The memberships kept, as statements (the rules' own statements when they proposed the pair)."""
        out = []
        for p in self.decide(model):
            out += p.rules or [Statement(p.member, "memberOf", p.body, p.sent, p.i, p.j, p.status, role="成员单位",
                                         confidence=p.confidence)]
        return out


def choose(pairs: list[Pair], model: Model | None, rule_floor: float | None = None) -> list[Pair]:
    """The rules' pairs, and the model's where they agree with them: one body per member in a sentence (the
    rules' — 分别's included, :meth:`Pairs._respectively` — else the likeliest), no body that is itself a member
    in that sentence (由商会牵头，联合A、B组建联盟: A joins the alliance, not the chamber) and no member that the rules'
    pairs make a body there (A、B加入C: C joins nothing in that sentence). ``rule_floor`` (default
    :data:`RULE_FLOOR`): a rules' pair is kept when the model gives it at least this; at 0 it is always kept and wins,
    above 0 it competes like the model's own. A pair the model alone keeps gets its probability as ``confidence``;
    a rules' pair and one only the list floor keeps (:func:`_list_probabilities`) get none: a rule decided them."""
    for p in pairs:
        p.confidence = None
    if model is None:
        return [p for p in pairs if p.rule is not None]
    floor = RULE_FLOOR if rule_floor is None else rule_floor
    kept = [p for p in pairs if p.rule is not None and model.probability(p.features) >= floor]
    best: dict[tuple[int, int], tuple[float, Pair]] = {}
    probs = _list_probabilities(pairs, model)
    for p in pairs:
        ruled = p.rule is not None and floor <= 0.0
        if not ruled and (_vetoed(p) or p.topic == "off"):
            continue
        prob = 2.0 if ruled else probs[id(p)]
        k = (id(p.member), p.sent)
        if prob >= model.threshold and (k not in best or prob > best[k][0]):
            best[k] = (prob, p)
    joined = {(id(p.member), p.sent) for p in kept}
    joined |= {(id(p.body), p.sent) for p in kept}  # A、B加入C: in that sentence C is joined, it joins nothing
    members = {(id(p.member), p.sent) for _, p in best.values()}
    for prob, p in best.values():
        if prob <= 1.0 and (id(p.body), p.sent) not in members and (id(p.member), p.sent) not in joined:
            kept.append(p)
            sure = model.probability(p.features)  # under the threshold: its list kept it (the list floor, a rule)
            p.confidence = round(sure, 2) if sure >= model.threshold else None
    return kept


def _nearest(named: list[Mention], orgs: list[Mention]) -> list[tuple[Mention, list[Mention]]]:
    """Each body mention with the organizations it is among the :data:`NEAREST` body mentions of, on either side (n
    names and n bodies in one sentence stay n·2·NEAREST pairs, not n²), in the order of ``named`` and ``orgs``."""
    by_start = sorted(range(len(named)), key=lambda k: named[k].i)
    starts = [named[k].i for k in by_start]
    near: list[list[Mention]] = [[] for _ in named]
    for x in orgs:
        at = bisect_left(starts, x.i)
        for k in by_start[max(0, at - NEAREST) : at + NEAREST]:
            near[k].append(x)
    return list(zip(named, near))


def _vetoed(p: Pair) -> bool:
    """True when every sentence that proposes ``p`` vetoes it (a rules' pair is never vetoed)."""
    return bool(p.vetoed) and p.sents <= p.vetoed and p.rule is None


def _agrees(each: dict[int, list[_Each]], r: Statement, canon) -> bool:
    """False when a 分别 pair of the member of the rules' statement ``r`` over its span says it instead (stated: once,
    with the most cautious status) or gives the member another body there (A、B分别加入X和Y: B joins Y, not X); the
    rules' statements elsewhere in the sentence stand (…，A还加入了Z). ``canon``: the body an entity is."""
    return not any(_overlap((r.i, r.j), x.span) and (x.stated or x.body is not canon(r.object))
                   for x in each.get(id(canon(r.subject)), ()))


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _list_probabilities(pairs: list[Pair], model: Model) -> dict[int, float]:
    """The model's probability of each pair; an item of a long list whose body the model (or the rules) gives another
    item of that list, or its items on average :data:`LIST_MEAN`, gets at least the threshold when the model gives it
    :data:`LIST_FLOOR` (the items of one list share their fate: 共选出A、B、C…等16所院校 — the model, reading each
    alone, drops some at 0.2–0.4)."""
    probs = {id(p): model.probability(p.features) for p in pairs}
    got: dict[tuple[int, int, int], list[float]] = {}
    for p in pairs:
        for k in p.lists:
            got.setdefault((*k, id(p.body)), []).append(1.0 if p.rule is not None else probs[id(p)])
    # whether each list lifts its items, read once per list (once per item, a list of n was n² steps)
    lifts = {k: len(ps) >= LONG_LIST and (max(ps) >= model.threshold or sum(ps) / len(ps) >= LIST_MEAN)
             for k, ps in got.items()}
    for p in pairs:
        for k in p.lists:
            if lifts[(*k, id(p.body))] and probs[id(p)] >= LIST_FLOOR:
                probs[id(p)] = max(probs[id(p)], model.threshold)
    return probs


def _speaks_of_members(st: SentenceView, x: Mention) -> bool:
    """True when the clause of ``x`` speaks of members, or ``x`` is an item of a long list in a sentence that does
    (共选出A、B…等16所院校，以及C、D…: the list runs on into clauses of its own)."""
    if SPEAKS_OF_MEMBERS & cues(st, st.clause_start(x.i)).keys():
        return True
    long_list = runs(st).get(id(x), (x, x, 1))[2] >= LONG_LIST
    return long_list and bool(_SENT_OF_MEMBERS & cues(st, st.clause_start(x.i)).keys())


def _mostly_names(st: SentenceView, orgs: list[Mention]) -> bool:
    """True when organization names make up most of the sentence (an item of a list: 2．A；)."""
    return bool(orgs) and 2 * sum(x.j - x.i for x in orgs) >= len(st.key.strip(" 。;；.、,，")) - 4


