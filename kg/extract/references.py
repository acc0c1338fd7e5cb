"""Reference pass: the home park (the park named most often), bare 园区 and 园区机关 that refer to it, bare 联盟 /
协会 … that refer back, and the names of bodies written where the finder did not link them (:class:`BodyNames`)."""

from __future__ import annotations

import re

from kg.extract.entities import Collected, Cover, Ent, Mention
from kg.extract.lexicon import COUNT, SUFFIXES
from kg.extract.shortforms import abbreviate
from kg.text import name_key

__all__ = ["ANAPHOR", "ANAPHORS", "BodyNames", "resolve_references"]

ANAPHORS = {"联盟": "Alliance", "联合体": "Alliance", "共同体": "PartyBuildingCommunity", "协会": "Association",
            "研究会": "Association", "促进会": "Association", "商会": "ChamberOfCommerce", "孵化器": "Incubator",
            "加速器": "Accelerator", "众创空间": "MakerSpace"}
ANAPHOR = re.compile("|".join(ANAPHORS))
_OWN_WORD_ONLY = frozenset({"研究会", "促进会"})  # refer only to a body whose name ends in them, not to any association
_COUNTED = re.compile(f"(?:{COUNT})$"
                      r"|(?:各|诸|这些|其他|省级|国家级|以上|千亿|百亿)$")


def resolve_references(bld: Collected) -> Ent | None:
    """The home park (and what refers to it), then bare type words that refer back; returns the home park."""
    home = home_park(bld)
    if home:
        owned_generic(bld, home)
        park_references(bld, home)
    anaphora(bld)
    return home


def home_park(bld: Collected) -> Ent | None:
    ents = [e for e in dict.fromkeys(bld.by_key.values()) if not e.generic and e.mentions]
    parks = [e for e in ents if e.type == "IndustrialPark" or e.type == "SciencePark" and e.how != "chain"]
    if not parks:
        return None
    # the park named most often (an industrial park on a tie), then the one named first
    return max(parks, key=lambda e: (len(e.mentions), e.type == "IndustrialPark",
                                     tuple(-x for x in min((m.sent, m.i) for m in e.mentions))))

def park_references(bld: Collected, home: Ent) -> None:
    """Bare 园区 is the home park; 园区机关 (or <park alias>机关) is that park's 管委会."""
    govs = [e for e in dict.fromkeys(bld.by_key.values()) if e.type == "GovernmentBody" and e.mentions]
    bare = re.compile(bare_park_words(home))
    park_names = {home.key, *home.aliases, *re.findall(r"[^|]+", bare.pattern)}
    own_gov = [g for g in govs if any(g.key.startswith(p) for p in park_names) and g.key.endswith("管委会")]
    for s in bld.doc.sentences:
        ms = bld.mentions.setdefault(s.index, [])
        for mt in re.finditer("机关", s.key):
            a = mt.start()
            before = [m for m in ms if m.j == a]
            if before and before[0].ent.type == "GovernmentBody":
                m = before[0]
                m.j = mt.end()
                m.ent.aliases.setdefault(name_key(bld.written(s, m.i, m.j)), bld.written(s, m.i, m.j))
                continue
            ref = next((p for p in sorted(park_names, key=len, reverse=True) if p and s.key.startswith(p, a - len(p))),
                       None)
            if ref and len(own_gov) == 1 and not any(m.i < mt.end() and a - len(ref) < m.j for m in ms
                                                     if m.ent is not home):
                ms[:] = [m for m in ms if not (m.ent is home and m.i >= a - len(ref) and m.j <= a)]
                g = own_gov[0]
                m = Mention(s.index, a - len(ref), mt.end(), g, "alias")
                ms.append(m)
                g.mentions.append(m)
                g.aliases.setdefault(name_key(bld.written(s, m.i, m.j)), bld.written(s, m.i, m.j))
        cover = Cover(s.key, ms)
        in_park = {m.i for m in ms if m.in_park}
        for mt in bare.finditer(s.key):
            a, b = mt.span()
            if _COUNTED.search(s.key, max(0, a - 5), a):
                continue  # 28家园区, 各园区, 省级园区: parks counted or of a kind, not the park
            if not (cover.overlaps(a, b, ms) or b in in_park):
                m = Mention(s.index, a, b, home, "home")
                ms.append(m)
                cover.add(m)
                home.mentions.append(m)
        ms.sort(key=lambda m: (m.i, -m.j))

def bare_park_words(home: Ent) -> str:
    """A regex of the words that, standing alone, mean the home park: 园区, and its type word (开发区, 科学园…)."""
    words = {"园区"} | {sf for sf, t in SUFFIXES.items()
                        if t == home.type and abbreviate(home.key).endswith(sf) and len(sf) >= 2}
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))

def anaphora(bld: Collected) -> None:
    """A bare 联盟 / 协会 / 孵化器 … refers to the last organization of that type named before it,
    one whose name ends in the same word first (联盟 → …产业联盟 rather than a later …联合体)."""
    last: dict[str, Ent] = {}
    last_word: dict[str, Ent] = {}
    for s in bld.doc.sentences:
        words = bld.anaphors.get(s.index, set())
        ms = bld.mentions.setdefault(s.index, [])
        cover = Cover(s.key, ms)
        events = [(m.i, 0, m) for m in ms] + [(mt.start(), 1, mt) for mt in ANAPHOR.finditer(s.key)]
        for _, kind, x in sorted(events, key=lambda ev: (ev[0], ev[1])):
            if kind == 0:
                if not x.ent.generic:
                    last[x.ent.type] = x.ent
                    last_word.update((w, x.ent) for w, t in ANAPHORS.items()
                                     if t == x.ent.type and x.ent.key.endswith(w))
                continue
            a, b = x.span()
            word, typ = x.group(), ANAPHORS[x.group()]
            if typ not in last or cover.overlaps(a, b, ms):
                continue
            if (a, b) not in words:
                continue
            start = s.span(a, b)[0]
            if start > 0 and bld.doc.text[start - 1] in "“「『‘\"'":
                continue  # “商会+园区”对接会: a quoted word names something, it does not refer back
            ent = last_word.get(word, None if word in _OWN_WORD_ONLY else last[typ])
            if ent is None:
                continue
            m = Mention(s.index, a, b, ent, "alias")
            ms.append(m)
            cover.add(m)
            ent.mentions.append(m)
            ent.aliases.setdefault(word, bld.written(s, a, b))
        ms.sort(key=lambda m: (m.i, -m.j))

def owned_generic(bld: Collected, home: Ent | None) -> None:
    """Keep a generic name that belongs to the park (园区科学技术协会, 生物园区管委会); drop the rest."""
    refs = {"园区"} | ({home.key, *home.aliases, *re.findall(r"[^|]+", bare_park_words(home))} if home else set())
    for e in list(dict.fromkeys(bld.by_key.values())):
        if e.generic and not e.known and e.mentions and any(e.key.startswith(r) and len(e.key) > len(r)
                                                            and not e.key.startswith(r + "内") for r in refs if r):
            e.generic = False


_PLACE_END = re.compile(r"(?<=[省市区县镇乡村])(?=[^省市区县镇乡村])")


class BodyNames:
    """The names (key, aliases, and the name without its place: 金鱼井社区17党建联盟 → 17党建联盟) of the bodies an
    article names anywhere, looked for in one pass over a sentence's characters (by their first two characters)."""

    SHORTEST = 4  # shorter names (联盟, 协会) are not looked for

    def __init__(self, bodies: list[Ent]):
        self.forms: dict[str, list[tuple[str, Ent]]] = {}
        for e in bodies:
            tails = [e.key[m.start() :] for m in _PLACE_END.finditer(e.key) if len(e.key) - m.start() > self.SHORTEST]
            for k in {e.key, *e.aliases, *tails}:
                if len(k) >= self.SHORTEST:
                    self.forms.setdefault(k[:2], []).append((k, e))

    def unlinked(self, key: str, sent: int, named: list[Mention]) -> list[Mention]:
        """The bodies a sentence (``key``, index ``sent``) names outside the mentions ``named`` of bodies in it."""
        seen, out = {id(b.ent) for b in named}, []
        for i in range(len(key) - 1) if self.forms else ():
            for k, e in self.forms.get(key[i : i + 2], ()):
                if id(e) not in seen and key.startswith(k, i) and not any(b.i <= i < b.j for b in named):
                    seen.add(id(e))
                    out.append(Mention(sent, i, i + len(k), e, "text"))
        return out

    def at(self, key: str, sent: int, i: int) -> Mention | None:
        """The longest name of these bodies written at ``i`` of a sentence (``key``, index ``sent``), if any."""
        found = [(k, e) for k, e in self.forms.get(key[i : i + 2], ()) if key.startswith(k, i)]
        k, e = max(found, key=lambda ke: len(ke[0])) if found else ("", None)
        return Mention(sent, i, i + len(k), e, "text") if e is not None else None
