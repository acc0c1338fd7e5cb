"""One body found under two names (讯天津市…联盟 beside 天津市…联盟, 辐射加工…联盟 beside 河南省…及辐射加工…联盟): which
of the names its memberships go to (:func:`same_bodies`), whatever the organization pass found."""
from __future__ import annotations

from kg.extract.orgs import Ent
from kg.extract.pairfeatures import is_body

__all__ = ["SHORTEST", "same_bodies"]

SHORTEST = 4  # a shorter shared name (联盟, 商会) says nothing of identity


def same_bodies(ents: list[Ent]) -> dict[int, Ent]:
    """id of each body found twice -> the one of its names its memberships go to.

    Two bodies are one when the name of one ends with the name of the other, and no other
    body of the article ends with that name (集成电路产业链联盟, 生物医药产业链联盟 beside 产业链联盟: a kind, not one
    body): the longer one is the other with something glued before it (a byline 讯, a verb 服务, a month 月) or named
    in full (佛山市顺德区…联合会 beside 顺德区…联合会). The memberships go to the body the article writes out in full
    most often, the longer name on a tie: a name the finder built by gluing is rarely written whole again, and a cut
    one (博地区… for 上海市浦东新区世博地区…) no more often than the full one. Linear in the length of the names."""
    bodies = [e for e in ents if is_body(e)]
    owners = {e.key: e for e in bodies if len(e.key) >= SHORTEST}
    ending: dict[str, list[Ent]] = {}  # a body's name -> the other bodies whose name ends with it
    for e in bodies:
        for s in range(1, len(e.key) - SHORTEST + 1):
            if e.key[s:] in owners:
                ending.setdefault(e.key[s:], []).append(e)
    parent = {id(e): e for e in bodies}

    def root(e: Ent) -> Ent:
        while parent[id(e)] is not e:
            parent[id(e)] = e = parent[id(parent[id(e)])]
        return e

    for name, longer in ending.items():
        if len(longer) == 1:  # one body glued to this name (two or more: the name of a kind)
            parent[id(root(owners[name]))] = root(longer[0])
    groups: dict[int, list[Ent]] = {}
    for e in bodies:
        groups.setdefault(id(root(e)), []).append(e)
    out: dict[int, Ent] = {}
    for group in groups.values():
        if len(group) > 1:
            best = max(group, key=lambda e: (_written_whole(e), len(e.key)))
            out.update((id(e), best) for e in group if e is not best)
    return out


def _written_whole(e: Ent) -> int:
    """How many times the article writes the body's name whole (not a short form)."""
    return sum(1 for m in e.mentions if m.j - m.i == len(e.key) and m.how != "alias")
