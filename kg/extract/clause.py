"""One sentence as the trigger rules see it: its mentions, clauses, runs of names, and the status of a statement.

Shared by :mod:`~kg.extract.memberships` and :mod:`~kg.extract.relations`. A statement is
``planned`` when a marker of intent (将, 拟, 计划, 下半年, 届时…) comes before its trigger in
the sentence; otherwise ``active``. When a sentence names no subject, park news speaks of the
park itself: the home park is the subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from kg.extract.document import Sentence
from kg.extract.orgs import Ent, Mention
from kg.extract.tokens import Tokens

__all__ = ["Statement", "SentenceView", "span_of", "add_statement", "COLLAB", "BODIES", "PLACES", "CLAUSE"]

COLLAB = frozenset({"Alliance", "PartyBuildingCommunity", "Association", "ChamberOfCommerce", "PartyOrganization", "Organization", "IndustrialPark"})
BODIES = frozenset({"Alliance", "PartyBuildingCommunity", "Association", "ChamberOfCommerce"})  # what has members
CLAUSE = re.compile(r"[,;:，；：]")
PLACES = frozenset({"IndustrialPark", "SciencePark", "Incubator", "Accelerator", "MakerSpace", "IncubationCarrier"})
# between two items of a list; a bracket may follow an item (A(以下简称甲)、B)
_SEPARATOR = re.compile(r"(?:\([^()]{0,24}\))?(?:[、和及与,，]|以及|等[^,;。、()]{0,12}[,，]?(?:以及|及|和))")  # …、B等13家配套企业，以及C
# intent markers inside the trigger's clause; 计划 only as a verb (计划于…, 计划引进…), not a noun (翻番计划)
_PLANNED_IN_CLAUSE = re.compile(r"将|拟|即将|有望|可望|预计|准备|筹建|着手|争取|力争|待(?=[\u4e00-\u9fff]{0,10}(?:审议|审核|审批|通过|批准|完成))|计划(?=[于在将到今明年内]|[\u4e00-\u9fff]{0,10}(?:吸纳|加入|入盟|入会|建设|成立|引进|签约|打造|组建))")
_SPEAKS = re.compile(r"(?:(?:相关|有关)?(?:负责人|主任|副主任|局长|副局长|书记|会长|秘书长|理事长|院长|发言人))?(?:表示|称|介绍|透露|指出)")
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


class SentenceView:
    """One sentence with its mentions and the helpers the trigger rules share."""

    def __init__(self, s: Sentence, ms: list[Mention], home: Ent | None, topic: Ent | None = None, recent: list[Ent] = ()):
        self.s = s
        self.key = s.key
        self.ms = ms
        self.home = home
        self.topic = topic  # the body (alliance, association…) the article spoke of last, before this sentence
        self.recent = list(recent)  # bodies named before this sentence, the latest last
        self.section: str | None = None  # the status of a list of members this sentence is part of, if any
        self.listing: tuple[Ent, str] | None = None  # set by a list header (…单位：1.A；) whose items the next sentences continue

    def body_before(self, pos: int, exclude: tuple[Mention, ...] = (), kinds: frozenset[str] = BODIES) -> Mention | None:
        """The body with members that the text at ``pos`` speaks of: the last one named before it in
        the sentence (向联合体秘书处提交加入申请), else the one the article spoke of last. ``kinds``
        narrows the types (入盟 joins an alliance, 入会 an association or a chamber named in the
        sentence — an alliance's members are 会员 too, so 入会 alone does not look further back)."""
        skip = {id(x.ent) for x in exclude}
        if kinds != BODIES:
            named = [x for x in self.ms if x.j <= pos and x.ent.type in kinds and id(x.ent) not in skip and not self.in_list(x)]
            recent = [e for e in self.recent if e.type in kinds and id(e) not in skip] if "Alliance" in kinds or "PartyBuildingCommunity" in kinds else []
            if named or recent:
                return named[-1] if named else Mention(self.s.index, pos, pos, recent[-1], "implicit")
        named = [x for x in self.ms if x.j <= pos and x.ent.type in BODIES and id(x.ent) not in skip and not self.in_list(x)]
        if named:  # the body the article speaks of, if the sentence names it too, else the last one named
            return next((x for x in reversed(named) if x.ent is self.topic), named[-1])
        if self.topic is not None and id(self.topic) not in skip:
            return Mention(self.s.index, pos, pos, self.topic, "implicit")
        return None

    def in_list(self, x: Mention) -> bool:
        """True when ``x`` is an item of a list of organizations (A、B与协会共同发起): a member, not the body."""
        return any(m is not x and m.ent is not x.ent and m.ent.is_org and (_SEPARATOR.fullmatch(self.key[m.j : x.i]) or _SEPARATOR.fullmatch(self.key[x.j : m.i])) for m in self.ms)

    @cached_property
    def toks(self) -> Tokens:
        return Tokens(self.key)

    def orgs(self, a: int, b: int) -> list[Mention]:
        return [m for m in self.ms if a <= m.i and m.j <= b and m.ent.is_org]

    def clause_start(self, pos: int) -> int:
        starts = [m.end() for m in CLAUSE.finditer(self.key, 0, pos)]
        return starts[-1] if starts else 0

    def clause_end(self, pos: int) -> int:
        m = CLAUSE.search(self.key, pos)
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
        speaker = [m for m in self.ms if m.i == 0 and m.ent.is_org and _SPEAKS.match(self.key[m.j :])]
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
            opening = [m for m in self.orgs(start, self.clause_end(start)) if not re.search(r"[与和同向对跟]$", self.key[start : m.i])][:1]
            if opening and not self.orgs(start, opening[0].i):  # 目前A已与联合体达成合作意向: A, not 联合体
                return opening[0]
        return None

    def list_before(self, pos: int, start: int) -> list[Mention]:
        cand = [m for m in self.orgs(start, pos)]
        if not cand:
            return []
        cand = [m for m in cand if not self._bracketed(m)] or cand
        run = [cand[-1]]
        for m in reversed(cand[:-1]):
            if m.ent is run[0].ent and m.j < run[0].i:
                run[0] = m  # A(甲)、B…: start from the full name before its short form
                continue
            if not _SEPARATOR.fullmatch(self.key[m.j : run[0].i]):
                break
            run.insert(0, m)
        return run

    def list_after(self, pos: int, end: int | None = None) -> list[Mention]:
        end = self.clause_end(pos) if end is None else end
        cand = self.orgs(pos, end)
        if not cand:
            return []
        cand = [m for m in cand if not self._bracketed(m)] or cand
        run = [cand[0]]
        for m in cand[1:]:
            if m.ent is run[-1].ent and m.i > run[-1].j:
                continue  # A(以下简称甲)、B: the short form in brackets is A again
            if not _SEPARATOR.fullmatch(self.key[run[-1].j : m.i]):
                break
            run.append(m)
        return run

    def _bracketed(self, m: Mention) -> bool:
        """True for a short form declared in brackets after a name: A（以下简称“甲”）— 甲 is A again."""
        return re.search(r"\((?:以下)?(?:简称|下称)?$", self.key[: m.i]) is not None and self.key.startswith(")", m.j)

    def inside_name(self, pos: int) -> bool:
        """True when key position ``pos`` falls inside a mention (与 in 材料科学与工程学院)."""
        return any(m.i <= pos < m.j for m in self.ms if m.i < m.j)

    def previous_clause_run(self, pos: int) -> list[Mention]:
        """The run of organizations opening the nearest earlier clause (A、B与C签约，两家企业…: A and B)."""
        opening = self.previous_clause_subject(pos)
        return self.list_after(opening.i) if opening else []

    def signing_parties(self, pos: int, out: list[Statement]) -> list[Mention]:
        """The parties of an earlier “A与B签署…” in this sentence (…签署协议，双方将共建Y / ，共建Y)."""
        signed = [x for x in out if x.sent == self.s.index and x.predicate == "signedWith" and x.j <= pos]
        if not signed:
            return []
        last = signed[-1]
        parties = [x for x in signed if (x.i, x.j) == (last.i, last.j)]
        ents = list(dict.fromkeys([parties[0].subject, *(x.object for x in parties)]))
        return [Mention(self.s.index, pos, pos, e, "implicit") for e in ents if e is not None]

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


def add_statement(out: list[Statement], sub: Mention, pred: str, obj: Mention | None, sent: SentenceView, span: tuple[int, int], status: str, **kw) -> None:
    if obj is not None and sub.ent is obj.ent:
        return
    out.append(Statement(sub.ent, pred, obj.ent if obj else None, sent.s.index, span[0], span[1], status, **kw))
