"""分别: n organizations and n bodies named in one sentence, the first with the first (4个产业链联盟揭牌，
分别以A、B、C、D为理事长单位 ; 与A、B、C合作，分别建设了X、Y、Z3大创新联盟): pairs :mod:`~kg.extract.pairs` proposes.

Linear: each 分别 is found first, then the lists next to it are read outward from it, character by character or
mention by mention, each a bounded number of steps (no pattern that can split one run of characters two ways)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.clause import CARRIES, SEPARATOR, SentenceView
from kg.extract.lexicon import PARTS
from kg.extract.orgs import Ent, Mention
from kg.extract.pairfeatures import BODY_WORDS, CUES, GUEST, NUMERAL, is_body, masked
from kg.extract.pairstatus import ENDS
from kg.extract.references import BodyNames

__all__ = ["MEMBERSHIP", "REACH", "Respective", "respectively"]

_EACH = re.compile(r"分别")
_HEAD_WORD = re.compile("|".join(sorted(BODY_WORDS, key=len, reverse=True)))  # where a shared head ends
_COUNTED = re.compile(NUMERAL + r"[个大家]")  # 3个, 四大: between the modifiers and the head they share
# what makes a 分别 clause speak of membership: joining, a role, a member word, founding (分别由A、B牵头组建), leaving
# — not 分别为, 合作, 联合 (分别联合A、B举办…: partners); pairs states its pairs only there
MEMBERSHIP = re.compile("|".join((CUES["join"].pattern, CUES["role"].pattern, r"成员|会员|牵头|发起|组建|筹建",
                                  ENDS.pattern)))
REACH = 12  # characters between 分别 and the list of its organizations (分别以A…, A…合作，分别建设了)
PART = 10  # the longest modifier of a shared head (集成电路、生物医药…)
LAST = 24  # the longest last modifier with the count and the head (人工智能3个产业链联盟)
MOST = 12  # the most bodies one 分别 pairs


@dataclass(frozen=True)
class Respective:
    """One pair 分别 makes: the member, the body, where the body is named (None: by a modifier of a shared head), the
    span it takes (the body, 分别 and the member) and where the 分别 is."""

    member: Mention
    body: Ent
    at: Mention | None
    span: tuple[int, int]
    each: int


def respectively(st: SentenceView, names: BodyNames) -> list[Respective]:
    """The pairs of each 分别 of the sentence: the list of organizations right after it (分别以A、B为…) with the bodies
    ending the clause before it or its own clause (X和Y揭牌，), or the list of organizations ending right before it
    (A、B分别加入…; 与A、B合作，分别…) with the bodies right after it, in order, when the two lists are as long as each
    other (two or more). The span of a pair runs from the member to its own body, over 分别 (it may be longer than a
    quote: :func:`~kg.extract.clause.evidence` then quotes the member's name)."""
    out = []
    for each in _EACH.finditer(masked(st)):
        after = st.list_after(each.end())
        members = after if after and after[0].i <= each.end() + REACH else []
        lo = st.clause_start(max(st.clause_start(each.start()) - 1, 0))
        bodies, (a, _) = _bodies_before(st, names, lo, each.start()) if len(members) > 1 else ([], (0, 0))
        if not bodies:
            members = _members_before(st, each.start())
            bodies, (_, a) = _bodies_after(st, names, each.end()) if len(members) > 1 else ([], (0, 0))
        if len(members) < 2 or len(members) != len(bodies):
            continue
        for m, (e, at) in zip(members, bodies):
            i, j = (at.i, at.j) if at is not None else (a, a)  # its own body, or where the shared head is
            if e is not None:
                out.append(Respective(m, e, at, (min(i, m.i, each.start()), max(j, m.j, each.end())), each.start()))
    return out


def _members_before(st: SentenceView, pos: int) -> list[Mention]:
    """The list of organizations that ends right before the 分别 at ``pos``: in its clause, or at the end of the clause
    before when only 并/随后… opens the 分别 clause (A、B参加了仪式，随后嘉宾分别…: the guests, not A and B), and no
    guest word comes between (A、B领导出席活动，并分别为X、Y揭牌: their guests unveil the bodies). The list stays in
    that one clause, and a name it already holds or a body after companies ends it (A加入了Z，A、B还分别…: A and B)."""
    start, key = st.clause_start(pos), masked(st)
    run = st.list_before(pos, start)
    if not run and (start == pos or CARRIES.fullmatch(key, start, pos)):
        run = st.list_before(start - 1, st.clause_start(start - 1)) if start > 0 else []
    if not run or pos - run[-1].j > REACH or GUEST.search(key, run[-1].j, pos):
        return []
    return _own_items(run)


def _own_items(run: list[Mention]) -> list[Mention]:
    """The end of ``run`` up to a name it holds again or a body before the companies after it, read backwards."""
    seen: set[int] = set()
    companies = False  # a name that is no body comes after
    for k in range(len(run) - 1, -1, -1):
        m = run[k]
        if id(m.ent) in seen or companies and is_body(m.ent):
            return run[k + 1 :]
        seen.add(id(m.ent))
        companies = companies or not is_body(m.ent)
    return run


def _bodies_before(st: SentenceView, names: BodyNames, lo: int, hi: int) -> tuple[list, tuple[int, int]]:
    """The run of bodies nearest before ``hi`` in ``[lo, hi)``, or the bodies a shared head names last there; with
    the span they take (``[]`` when there are fewer than two)."""
    run: list[Mention] = []
    for m in reversed([m for m in st.orgs(lo, hi) if is_body(m.ent)]):
        if run and m.j > run[-1].i:
            continue  # a name inside another
        if run and not SEPARATOR.fullmatch(st.key, m.j, run[-1].i):
            break
        run.append(m)
    if len(run) > 1:
        return [(m.ent, m) for m in reversed(run)], (run[-1].i, run[0].j)
    heads = [w for w in _HEAD_WORD.finditer(st.key, lo, hi)]
    return _shared(st, names, lo, heads[-1]) if heads else ([], (0, 0))


def _bodies_after(st: SentenceView, names: BodyNames, pos: int) -> tuple[list, tuple[int, int]]:
    """The run of bodies starting within :data:`REACH` after ``pos`` in its clause, or the bodies a shared head names
    first there; with the span they take."""
    end = st.clause_end(pos)
    run = [m for m in st.list_after(pos, end) if is_body(m.ent)]
    if len(run) > 1 and run[0].i <= pos + REACH:
        return [(m.ent, m) for m in run], (run[0].i, run[-1].j)
    head = _HEAD_WORD.search(st.key, pos, end)
    return _shared(st, names, pos, head) if head else ([], (0, 0))


def _shared(st: SentenceView, names: BodyNames, lo: int, word: re.Match) -> tuple[list, tuple[int, int]]:
    """集成电路、生物医药、人工智能3个产业链联盟: modifiers sharing one head that ends with ``word``, read backwards
    from it to ``lo`` (at most :data:`MOST` parts), each looked up with the head among the article's bodies (its longest
    such name; None where none is found). The head follows the count, else it is the longest that names a body."""
    key, k = st.key, word.start()
    while k > max(lo, word.start() - LAST) and (key[k - 1].isdigit() or _cjk(key[k - 1])):
        k -= 1
    last, parts, start = key[k : word.end()], [], k
    while start > lo and key[start - 1] in PARTS and len(parts) < MOST:
        i = start - 1
        while i > max(lo, start - 1 - PART) and _cjk(key[i - 1]):
            i -= 1
        if start - 1 - i < 2:
            break
        parts.append(key[i : start - 1])
        start = i
    if not parts:
        return [], (0, 0)
    parts.reverse()
    count = _COUNTED.search(last)
    cuts = [count.end()] if count and count.start() >= 2 else range(2, len(last) - len(word.group()) + 1)
    for cut in cuts:
        head = last[cut:]
        found = [_named(st, names, p, head) for p in parts]
        if any(e is not None for e in found):
            mod = last[: count.start()] if count and cut == count.end() else last[:cut]
            return [(e, None) for e in (*found, _named(st, names, mod, head))], (start, word.end())
    return [], (0, 0)


def _named(st: SentenceView, names: BodyNames, part: str, head: str) -> Ent | None:
    """The body of the article named by ``part`` with ``head`` (the first part may start with more: 长三角集成电路)."""
    for k in range(len(part) - 1):
        m = names.at(part[k:] + head, st.s.index, 0)
        if m is not None and m.j == len(part) - k + len(head):
            return m.ent
    return None


def _cjk(c: str) -> bool:
    """A Chinese character that does not separate two modifiers."""
    return "\u4e00" <= c <= "\u9fff" and c not in PARTS
