"""One sentence as the trigger rules see it: its mentions, clauses, runs of names, and the status of a statement.

Shared by :mod:`~kg.extract.memberships` and :mod:`~kg.extract.relations`. A statement is
``planned`` when a marker of intent (将, 拟, 计划, 下半年, 届时…) comes before its trigger in
the sentence; otherwise ``active``. When a sentence names no subject, park news speaks of the
park itself: the home park is the subject.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

from kg.extract.document import MAX_EVIDENCE, Sentence
from kg.extract.lexicon import PARTS
from kg.extract.orgs import Ent, Mention
from kg.extract.positions import Marks, Spans
from kg.extract.tokens import Tokens

__all__ = ["Statement", "SentenceView", "Recent", "span_of", "evidence", "add_statement", "COLLAB", "BODIES", "PLACES",
           "CLAUSE", "SEPARATOR", "SEPARATOR_WIDTH", "CARRIES"]

COLLAB = frozenset({"Alliance", "PartyBuildingCommunity", "Association", "ChamberOfCommerce", "PartyOrganization",
                    "Organization", "IndustrialPark"})
BODIES = frozenset({"Alliance", "PartyBuildingCommunity", "Association", "ChamberOfCommerce"})  # what has members
CLAUSE = re.compile(r"[,;:，；：]")
PLACES = frozenset({"IndustrialPark", "SciencePark", "Incubator", "Accelerator", "MakerSpace", "IncubationCarrier"})
# between two items of a list; a bracket may follow an item (A(以下简称甲)、B) ; …、B等13家配套企业，以及C
SEPARATOR = _SEPARATOR = re.compile(
    r"(?:\([^()]{0,24}\))?(?:[,，]、|[" + PARTS + r",，]|以及|等[^,;。、()]{0,12}[,，]?(?:以及|及|和))")
SEPARATOR_WIDTH = 42  # the longest separator: 26 for a bracket, 16 for 等…以及
_OPENS_SHORT_FORM = re.compile(r"\((?:以下)?(?:简称|下称)?$")  # at most 5 characters
CARRIES = re.compile(r"(?:并且|并|还|也|又|随后|进而)")  # what opens a clause that goes on with the same subject
# intent markers inside the trigger's clause; 计划 only as a verb (计划于…, 计划引进…), not a noun (翻番计划)
_PLANNED_IN_CLAUSE = re.compile(r"将|拟|即将|有望|可望|预计|准备|筹建|筹备|着手|争取|力争|有意|意向|"
                                r"待(?=[\u4e00-\u9fff]{0,10}(?:审议|审核|审批|通过|批准|完成))|"
                                r"计划(?=[于在将到今明年内]"
                                r"|[\u4e00-\u9fff]{0,10}(?:吸纳|加入|入盟|入会|建设|成立|引进|签约|打造|组建))")
_SPEAKS = re.compile(r"(?:(?:相关|有关)?(?:负责人|主任|副主任|局长|副局长|书记|会长|秘书长|理事长|院长|发言人))?"
                     r"(?:表示|称|介绍|透露|指出)")
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
    confidence: float | None = None  # a membership's: the pair model's probability when it alone kept it (pairs.choose)

    @property
    def is_membership(self) -> bool:
        return self.predicate == "memberOf"


class Recent:
    """The bodies the article has named, the latest last; by type, so the latest of some types is found at once."""

    def __init__(self, ents: list[Ent] = ()):
        self._seq = 0
        self._of_type: dict[str, dict[Ent, int]] = {}
        self.named(ents)

    def named(self, ents: list[Ent]) -> None:
        """``ents`` were named, in this order: they become the latest."""
        for e in ents:
            of_type = self._of_type.setdefault(e.type, {})
            of_type.pop(e, None)
            self._seq += 1
            of_type[e] = self._seq

    def ending_with(self, word: str, kinds: frozenset[str]) -> Ent | None:
        """The latest body of one of the ``kinds`` whose name ends with ``word`` (党建联盟 → 膜材料产业链党建联盟)."""
        found = [(seq, e) for t in kinds for e, seq in self._of_type.get(t, {}).items() if e.key.endswith(word)]
        return max(found, key=lambda x: x[0])[1] if found else None

    def last(self, kinds: frozenset[str], skip: set[int]) -> Ent | None:
        """The latest body of one of the ``kinds`` whose id is not in ``skip``."""
        best: tuple[int, Ent] | None = None
        for t in kinds:
            for e, seq in reversed(self._of_type.get(t, {}).items()):
                if id(e) not in skip:
                    best = (seq, e) if best is None or seq > best[0] else best
                    break
        return best[1] if best else None


class SentenceView:
    """One sentence with its mentions and the helpers the trigger rules share.

    Every helper answers from indexes built once per sentence (:mod:`~kg.extract.positions`), so
    it takes time in the size of what it returns, not in the length of the sentence.
    """

    def __init__(self, s: Sentence, ms: list[Mention], home: Ent | None, topic: Ent | None = None,
                 recent: Recent | list[Ent] = ()):
        self.s = s
        self.key = s.key
        self.ms = ms
        self.home = home
        self.topic = topic  # the body (alliance, association…) the article spoke of last, before this sentence
        self.recent = recent if isinstance(recent, Recent) else Recent(recent)  # bodies named before this sentence
        self.section: str | None = None  # the status of a list of members this sentence is part of, if any
        # set by a list header (…单位：1.A；) whose items the next sentences continue
        self.listing: tuple[Ent, str] | None = None
        self.out_from = 0  # where this sentence's statements start in the list the rules append to
        self._in_list: dict[int, bool] = {}
        self._carried: dict[int, Mention | None] = {}  # clause start -> previous_clause_subject there
        self._of_types: dict[frozenset[str], Spans] = {}
        self._firsts: dict[int, Mention] | None = None
        self._found: dict[str, list[int]] = {}
        self._sums: list[int] | None = None
        self.read_once: dict = {}  # what the pair features read once per sentence (pairfeatures.read_once)

    @cached_property
    def mentions(self) -> Spans:
        return Spans(self.ms)

    @cached_property
    def _orgs(self) -> Spans:
        return Spans([m for m in self.ms if m.ent.is_org])

    @cached_property
    def _plain(self) -> Spans:  # organizations not written as a short form in brackets
        return Spans([m for m in self._orgs.items if not self._bracketed(m)])

    @cached_property
    def _bodies(self) -> Spans:
        return Spans([m for m in self.ms if m.ent.type in BODIES])

    @cached_property
    def _clauses(self) -> Marks:
        return Marks(self.key, ",;:，；：")

    @cached_property
    def _end(self) -> int:
        return len(self.key.rstrip("。！？!?"))

    def at(self, i: int) -> list[Mention]:
        """The mentions starting at ``i``."""
        return self.mentions.at(i)

    def orgs_of(self, types: frozenset[str]) -> Spans:
        """The organizations of these types, by start (built once per set of types)."""
        if types not in self._of_types:
            self._of_types[types] = Spans([m for m in self._orgs.items if m.ent.type in types])
        return self._of_types[types]

    def last_org(self, a: int, b: int, ok=None, among: Spans | None = None) -> Mention | None:
        """``[m for m in self.orgs(a, b) if ok(m)][-1]`` or None, looking back from ``b``;
        ``among``: a narrower index."""
        return next((m for m in (among or self._orgs).backward(a, b) if m.j <= b and (ok is None or ok(m))), None)

    def last_orgs(self, a: int, b: int, n: int) -> list[Mention]:
        """``self.orgs(a, b)[-n:]``."""
        found = []
        for m in self._orgs.backward(a, b):
            if m.j <= b:
                found.append(m)
                if len(found) == n:
                    break
        return found[::-1]

    @cached_property
    def addressed(self) -> Spans:
        """The organizations right after 向, 对 or 到 (向园区党工委递交申请: the addressee)."""
        return Spans([m for m in self._orgs.items if m.i > 0 and self.key[m.i - 1] in "向对到"])

    def first_org(self, a: int, b: int, ok=None, among: Spans | None = None) -> Mention | None:
        """``[m for m in self.orgs(a, b) if ok(m)][0]`` (or None), looking on from ``a``."""
        return next((m for m in (among or self._orgs).forward(a, b) if m.j <= b and (ok is None or ok(m))), None)

    def first_of(self, ent: Ent) -> Mention | None:
        """The first mention of ``ent`` in the sentence."""
        if self._firsts is None:
            self._firsts = {}
            for m in self.ms:
                self._firsts.setdefault(id(m.ent), m)
        return self._firsts.get(id(ent))

    def find(self, word: str, pos: int) -> int:
        """``self.key.find(word, pos)`` for ``pos >= 0``, from the word's positions found once."""
        if word not in self._found:
            at, k = [], self.key.find(word)
            while k >= 0:
                at.append(k)
                k = self.key.find(word, k + 1)
            self._found[word] = at
        at = self._found[word]
        k = bisect_left(at, pos)
        return at[k] if k < len(at) else -1

    def named_length(self, a: int, b: int) -> int:
        """``sum(m.j - m.i for m in self.orgs(a, b))``, from running sums."""
        if not self._orgs.ordered:
            return sum(m.j - m.i for m in self.orgs(a, b))
        if self._sums is None:
            self._sums = [0]
            for m in self._orgs.items:
                self._sums.append(self._sums[-1] + m.j - m.i)
        lo, hi = self._orgs.bounds(a, b)
        over = sum(m.j - m.i for m in self._orgs.starting(max(a, b - self._orgs.longest), b) if m.j > b)
        return self._sums[hi] - self._sums[lo] - over

    def body_before(self, pos: int, exclude: tuple[Mention, ...] = (),
                    kinds: frozenset[str] = BODIES) -> Mention | None:
        """The body with members that the text at ``pos`` speaks of: the last one named before it in
        the sentence (向联合体秘书处提交加入申请), else the one the article spoke of last. ``kinds``
        narrows the types (入盟 joins an alliance, 入会 an association or a chamber named in the
        sentence — an alliance's members are 会员 too, so 入会 alone does not look further back)."""
        skip = {id(x.ent) for x in exclude}
        if kinds != BODIES:
            named = self._last_body(pos, lambda x: x.ent.type in kinds and id(x.ent) not in skip,
                                    self._bodies if kinds <= BODIES else self.mentions)
            recent = self.recent.last(kinds, skip) if "Alliance" in kinds or "PartyBuildingCommunity" in kinds else None
            if named or recent:
                return named if named else Mention(self.s.index, pos, pos, recent, "implicit")
        named = self._last_body(pos, lambda x: id(x.ent) not in skip)
        if named:  # the body the article speaks of, if the sentence names it too, else the last one named
            return self._last_body(pos, lambda x: x.ent is self.topic and id(x.ent) not in skip) or named
        if self.topic is not None and id(self.topic) not in skip:
            return Mention(self.s.index, pos, pos, self.topic, "implicit")
        return None

    def _last_body(self, pos: int, ok, pool: Spans | None = None) -> Mention | None:
        """The last body (of ``pool``) named before ``pos`` that is ``ok`` and not an item of a list."""
        return next((x for x in (pool or self._bodies).backward(0, pos)
                     if x.j <= pos and ok(x) and not self.in_list(x)), None)

    def in_list(self, x: Mention) -> bool:
        """True when ``x`` is an item of a list of organizations (A、B与协会共同发起): a member, not the body."""
        if id(x) not in self._in_list:  # a separator is at most SEPARATOR_WIDTH long: only names that near
            near = [*self.mentions.starting(x.i - SEPARATOR_WIDTH - self.mentions.longest, x.i),
                    *self.mentions.starting(x.j, x.j + SEPARATOR_WIDTH)]
            self._in_list[id(x)] = any(
                m is not x and m.ent is not x.ent and m.ent.is_org
                and (_SEPARATOR.fullmatch(self.key, m.j, x.i) or _SEPARATOR.fullmatch(self.key, x.j, m.i)) for m in near
            )
        return self._in_list[id(x)]

    @cached_property
    def toks(self) -> Tokens:
        return Tokens(self.key)

    def orgs(self, a: int, b: int) -> list[Mention]:
        return [m for m in self._orgs.starting(a, b) if m.j <= b]

    def clause_start(self, pos: int) -> int:
        return self._clauses.last_before(pos) + 1

    def clause_end(self, pos: int) -> int:
        end = self._clauses.first_at(pos)
        return end if end >= 0 and pos <= len(self.key) else self._end

    def subject_before(self, pos: int, default_home: bool = True) -> list[Mention]:
        """The run of organizations right before ``pos`` in its clause (A、B等), else the home park."""
        run = self.list_before(pos, self.clause_start(pos))
        if run:
            return run
        if default_home and CARRIES.match(self.key, self.clause_start(pos)):
            carried = self.previous_clause_subject(pos)  # …与Y签署协议，并联合X举办…: same subject
            if carried:
                return [carried]
        speaker = [m for m in self.at(0) if m.ent.is_org and _SPEAKS.match(self.key, m.j)]
        if speaker and default_home:  # X表示，将与Y对接: X speaks of itself
            return speaker
        if default_home and self.home:
            return [Mention(self.s.index, pos, pos, self.home, "implicit")]
        return []

    def previous_clause_subject(self, pos: int) -> Mention | None:
        """The organization opening the nearest earlier clause of the sentence (…与…签署协议，并联合X…)."""
        start = self.clause_start(pos)
        walked, found = [], None
        while start > 0:  # each clause is walked once per sentence: later calls stop where an earlier one passed
            if start in self._carried:
                found = self._carried[start]
                break
            walked.append(start)
            start = self.clause_start(start - 1)
            end = self.clause_end(start)
            opening = next((m for m in self._orgs.forward(start, end)
                            if m.j <= end and not (m.i > start and self.key[m.i - 1] in "与和同向对跟")), None)
            # 目前A已与联合体达成合作意向: A, not 联合体
            if opening and not any(m.j <= opening.i for m in self._orgs.forward(start, opening.i)):
                found = opening
                break
        for w in walked:
            self._carried[w] = found
        return found

    def list_before(self, pos: int, start: int) -> list[Mention]:
        names = self._plain if any(m.j <= pos for m in self._plain.backward(start, pos)) else self._orgs
        cand = (m for m in names.backward(start, pos) if m.j <= pos)
        first = next(cand, None)
        if first is None:
            return []
        run = [first]  # last first
        for m in cand:
            if m.ent is run[-1].ent and m.j < run[-1].i:
                run[-1] = m  # A(甲)、B…: start from the full name before its short form
                continue
            if not _SEPARATOR.fullmatch(self.key, m.j, run[-1].i):
                break
            run.append(m)
        return run[::-1]

    def list_after(self, pos: int, end: int | None = None) -> list[Mention]:
        end = self.clause_end(pos) if end is None else end
        names = self._plain if any(m.j <= end for m in self._plain.forward(pos, end)) else self._orgs
        cand = (m for m in names.forward(pos, end) if m.j <= end)
        first = next(cand, None)
        if first is None:
            return []
        run = [first]
        for m in cand:
            if m.ent is run[-1].ent and m.i > run[-1].j:
                continue  # A(以下简称甲)、B: the short form in brackets is A again
            if not _SEPARATOR.fullmatch(self.key, run[-1].j, m.i):
                break
            run.append(m)
        return run

    def _bracketed(self, m: Mention) -> bool:
        """True for a short form declared in brackets after a name: A（以下简称“甲”）— 甲 is A again."""
        return _OPENS_SHORT_FORM.search(self.key, max(0, m.i - 5), m.i) is not None and self.key.startswith(")", m.j)

    def inside_name(self, pos: int) -> bool:
        """True when key position ``pos`` falls inside a mention (与 in 材料科学与工程学院)."""
        return bool(self.mentions.covering(pos))

    def previous_clause_run(self, pos: int) -> list[Mention]:
        """The run of organizations opening the nearest earlier clause (A、B与C签约，两家企业…: A and B)."""
        opening = self.previous_clause_subject(pos)
        return self.list_after(opening.i) if opening else []

    def signing_parties(self, pos: int, out: list[Statement]) -> list[Mention]:
        """The parties of an earlier “A与B签署…” in this sentence (…签署协议，双方将共建Y / ，共建Y)."""
        signed = [x for x in out[self.out_from :] if x.sent == self.s.index and x.predicate == "signedWith"
                  and x.j <= pos]
        if not signed:
            return []
        last = signed[-1]
        parties = [x for x in signed if (x.i, x.j) == (last.i, last.j)]
        ents = list(dict.fromkeys([parties[0].subject, *(x.object for x in parties)]))
        return [Mention(self.s.index, pos, pos, e, "implicit") for e in ents if e is not None]

    @cached_property
    def _planned_from(self) -> int:
        """The first position at which a time word of the sentence has ended (下半年, 届时…), or past the end."""
        m = _PLANNED_IN_SENTENCE.search(self.key)
        while m and (earlier := _PLANNED_IN_SENTENCE.search(self.key, 0, m.end() - 1)):
            m = earlier
        return m.end() if m else len(self.key) + 1

    @cached_property
    def _intents(self) -> list[int]:
        """Where the intent markers of the sentence start (将 not as a preposition: 将园区中小企业园…)."""
        return [m.start() for m in _PLANNED_IN_CLAUSE.finditer(self.key)
                if not (m.group() == "将" and self.at(m.end()))]

    def status(self, pos: int) -> str:
        """``planned`` when an intent marker precedes ``pos`` (in its clause, or a time word in the sentence)."""
        if self._planned_from <= pos:
            return "planned"
        k = bisect_left(self._intents, self.clause_start(pos))
        return "planned" if k < len(self._intents) and self._intents[k] < pos else "active"


def span_of(*parts) -> tuple[int, int]:
    """The smallest key span covering the given mentions and ``(start, end)`` pairs (implicit mentions add nothing)."""
    idx: list[int] = []
    for part in parts:
        if isinstance(part, Mention):
            if part.i < part.j:
                idx += [part.i, part.j]
        elif part is not None:
            idx += list(part)
    return min(idx), max(idx)


def evidence(span: tuple[int, int], sub: Mention) -> tuple[int, int]:
    """``span``, or the subject's own name when ``span`` is longer than :data:`MAX_EVIDENCE` (a member far down a
    long list from the word that makes it one): a quote stays short, so the candidates grow with the article."""
    return (sub.i, sub.j) if span[1] - span[0] > MAX_EVIDENCE and sub.i < sub.j else span


def add_statement(out: list[Statement], sub: Mention, pred: str, obj: Mention | None, sent: SentenceView,
                  span: tuple[int, int], status: str, **kw) -> None:
    if obj is not None and sub.ent is obj.ent:
        return
    span = evidence(span, sub)
    out.append(Statement(sub.ent, pred, obj.ent if obj else None, sent.s.index, span[0], span[1], status, **kw))
