"""One body found under two names (讯天津市…联盟 beside 天津市…联盟, 辐射加工…联盟 beside 河南省…及辐射加工…联盟): which
of the names its memberships go to (:func:`same_bodies`), whatever the organization pass found."""
from __future__ import annotations

from kg.extract.orgs import Ent
from kg.extract.pairfeatures import is_body
from kg.extract.shortforms import added

__all__ = ["SHORTEST", "same_bodies"]

SHORTEST = 6  # a shorter shared name (联盟, 产业联盟, 企业联合会: a kind) says nothing of identity


def same_bodies(ents: list[Ent]) -> dict[int, Ent]:
    """id of each body found twice -> the one of its names its memberships go to.

    Two bodies are one when the name of one ends with the name of the other, no other body of the article ends with that
    name (集成电路先进制造产业链联盟, 生物医药先进制造产业链联盟 beside 先进制造产业链联盟: a kind, not one body), and
    what the longer adds before it is not a name of its own: something the finder glued to it (a byline 讯, a date, a
    verb 服务), the rest of a name cut at a conjunction (浙江省高分子材料及 辐射加工产业联盟), or the city or province
    of the district the shorter opens with (宁波市 海曙区企业联合会). Anything else may be another body (宁波 温州商会:
    Wenzhou's chamber in Ningbo; 宁波市 新材料产业联盟 beside a national one): kept apart. The memberships go to the
    shorter name when the longer is glued, else to the one the article writes out in full most often, the longer on a
    tie (a cut name, 博地区… for 上海市浦东新区世博地区…, is written whole no more often than the full one). Linear in
    the length of the names."""
    bodies = [e for e in ents if is_body(e)]
    owners = {e.key: e for e in bodies if len(e.key) >= SHORTEST}
    ending: dict[str, list[Ent]] = {}  # a body's name -> the other bodies whose name ends with it
    for e in bodies:
        for s in range(1, len(e.key) - SHORTEST + 1):
            if e.key[s:] in owners:
                ending.setdefault(e.key[s:], []).append(e)
    parent = {id(e): e for e in bodies}
    glued: set[int] = set()

    def root(e: Ent) -> Ent:
        while parent[id(e)] is not e:
            parent[id(e)] = e = parent[id(parent[id(e)])]
        return e

    for name, longer in ending.items():
        kind = added(longer[0].key[: -len(name)], name) if len(longer) == 1 else None  # two or more: a kind
        if kind is not None:
            parent[id(root(owners[name]))] = root(longer[0])
            if kind == "glued":
                glued.add(id(longer[0]))
    groups: dict[int, list[Ent]] = {}
    for e in bodies:
        groups.setdefault(id(root(e)), []).append(e)
    out: dict[int, Ent] = {}
    for group in groups.values():
        if len(group) > 1:
            best = max(group, key=lambda e: (id(e) not in glued, _written_whole(e), len(e.key)))
            out.update((id(e), best) for e in group if e is not best)
    return out


def _written_whole(e: Ent) -> int:
    """How many times the article writes the body's name whole (not a short form)."""
    return sum(1 for m in e.mentions if m.j - m.i == len(e.key) and m.how != "alias")
