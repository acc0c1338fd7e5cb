"""分别: n organizations and n bodies named in one sentence, the first with the first (4个产业链联盟揭牌，
分别以A、B、C、D为理事长单位 ; 与A、B、C合作，分别建设了X、Y、Z3大创新联盟): pairs :mod:`~kg.extract.pairs` proposes."""
from __future__ import annotations

import re

from kg.extract.clause import SentenceView
from kg.extract.orgs import Ent, Mention
from kg.extract.pairfeatures import is_body, masked
from kg.extract.references import BodyNames

__all__ = ["respectively"]

_EACH = re.compile(r"分别")
_COUNT = r"(?:\d+|[一二两三四五六七八九十]+)?(?:个|大|家)?"
# 集成电路、生物医药、人工智能4个产业链联盟: modifiers sharing one head (the head ends like a body's name)
_SHARED_HEAD = re.compile(r"((?:[\u4e00-\u9fff]{2,10}[、和及与])+[\u4e00-\u9fff]{2,10})" + _COUNT +
                          r"([\u4e00-\u9fff]{0,6}(?:联盟|协会|商会|联合会|共同体|联合体|促进会|学会))")
_PARTS = re.compile(r"[、和及与]")
REACH = 12  # characters from 分别 to the list it refers to (分别以, 分别建设了)
WINDOW = 80  # characters on either side of 分别 read for the bodies (a bound: the shared-head pattern backtracks)


def respectively(st: SentenceView, names: BodyNames) -> list[tuple[Mention, Ent, Mention | None]]:
    """(member, body, where the body is named when it is) for each 分别 of the sentence: the list of organizations and
    the list of bodies on either side of it, paired in order when they are as long as each other (two or more)."""
    out = []
    for each in _EACH.finditer(masked(st)):
        before = st.list_before(each.start(), 0)
        after = st.list_after(each.end())
        after = after if after and after[0].i <= each.end() + REACH else []
        sides = ((after, (max(0, each.start() - WINDOW), each.start())),
                 (before, (each.end(), min(st.clause_end(each.end()), each.end() + WINDOW))))
        for members, side in sides:
            bodies = _bodies(st, names, *side)
            if len(members) > 1 and len(members) == len(bodies):
                out += [(m, e, at) for m, (e, at) in zip(members, bodies) if e is not None]
    return out


def _bodies(st: SentenceView, names: BodyNames, a: int, b: int) -> list[tuple[Ent | None, Mention | None]]:
    """The bodies named in ``[a, b)``: their names, or modifiers sharing one head (先进制造产业、新材料产业3大创新联盟:
    the body of the article each modifier names with the head, its longest such name; None where none is found)."""
    run = [(m.ent, m) for m in st.orgs(a, b) if is_body(m.ent)]
    if len(run) > 1:
        return run
    shared = _SHARED_HEAD.search(st.key, a, b)  # not masked: the head may be found as a body (3个产业链联盟)
    if shared is None:
        return []
    out: list[tuple[Ent | None, Mention | None]] = []
    for part in _PARTS.split(shared.group(1)):  # the first may start with more (长三角集成电路、…: 集成电路)
        found = [m for k in range(len(part) - 1) if (m := names.at(part[k:] + shared.group(2), st.s.index, 0))
                 and m.j == len(part) - k + len(shared.group(2))]
        out.append((found[0].ent if found else None, None))
    return out if any(e is not None for e, _ in out) else []
