"""Organizations in an article: known names, suffix rules, list patterns and chains, then short forms linked.

Passes, in order:

1. **Known names** of the graph (a multi-pattern matcher over names and aliases).
2. **Suffix rules**: an organization-type suffix (有限公司, 大学, 管委会, 联盟 …) that ends
   a word gives the type; the left edge of the name is found by walking back over the
   jieba words until a verb, preposition, number or punctuation (吸纳|青海大美中药科技有限公司).
   A leading descriptor made of generic words is cut off (园区|金诃藏药集团有限公司,
   首支园区科技成长股权投资基金|极地基金); 园区X records that X is in the park. A name may
   hold 与/和/暨 (材料科学与工程学院, 发展和改革委员会) when the words between it and the suffix
   cannot name anything alone; what follows a grant (被认定为, 获评, 列为) is a qualification.
3. **List patterns**: the items of “X、Y等N家企业” and “与X、Y等社会投资人”, and the object
   of 签约/联系/对接 when it looks like a name (签约东方美谷).
4. **Chains**: A—B—C—…链 (the stages are organizations even when their names are plain).
5. **Linking**: a short form the article declares (FULL（简称“X”）) names FULL wherever
   it is written; a generic name that is a short form of a distinctive one of the same type
   (生物园区 → 西宁经济技术开发区生物科技产业园区, 党建联盟 → …绿色算力党建联盟) or a name
   made of initials before the same ending (南科管理局 → 科技部南部科学工业园区管理局) becomes
   its alias; a company's name without its legal form (金诃藏药) and a quoted part of a
   name (“红领宁商”党建共同体) are aliases where the article uses them; 园区机关 is the
   park's 管委会. Generic names that stay unlinked are kept only when they belong to the
   park (园区科学技术协会); the rest (基层党组织, 银行) are dropped.
6. **Home park**: the park named most often; a bare 园区 refers to it.

Passes 2–4 look at one sentence at a time (:mod:`~kg.extract.orgspans`); the tests of
whether one name abbreviates another are in :mod:`~kg.extract.shortforms`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property

from kg.extract.document import Document, Sentence
from kg.extract.known import KnownEntities, KnownEntity
from kg.extract.bylines import byline_spans
from kg.extract.lexicon import GENERIC_WORDS, ORG_TYPES, SUFFIXES
from kg.extract.model_cands import model_spans
from kg.extract.orgspans import THIS_ONE, Cand, ends_at, extra_cands, pick, sentence_cands
from kg.extract.shortforms import NameIndex, abbreviate, company_short_forms, drops_qualifiers, in_order, is_initials, is_short_form, is_tail
from kg.extract.tokens import Tokens
from kg.text import name_key

__all__ = ["Ent", "Mention", "Chain", "find_entities", "Found"]

_DEICTIC = ("以上", "上述", "这些", "那些", "各个", "其他")  # 以上园区, 上述企业 name nothing
_DECLARED = re.compile(r"[(,](?:以下)?(?:简称|下称|以下称)[:]?([^(),;。:]{2,12})[),]")
_BRACKETED = re.compile(r"\(([^\d(),;。:、]{2,8})\)")
_ANAPHORS = {"联盟": "Alliance", "联合体": "Alliance", "共同体": "PartyBuildingCommunity", "协会": "Association", "商会": "ChamberOfCommerce", "孵化器": "Incubator", "加速器": "Accelerator", "众创空间": "MakerSpace"}
_ANAPHOR = re.compile("|".join(_ANAPHORS))


@dataclass(eq=False)
class Ent:
    """One entity found in the article, with every mention; ``known`` when the graph has it."""

    name: str
    type: str
    how: str
    known: KnownEntity | None = None
    aliases: dict[str, str] = field(default_factory=dict)  # name key -> as written
    mentions: list[Mention] = field(default_factory=list)
    generic: bool = False
    parent_park: tuple[Ent, Mention] | None = None  # the park whose name prefixes this one (partOf), and where

    @cached_property
    def key(self) -> str:
        return name_key(self.name)

    @property
    def is_org(self) -> bool:
        return self.type in ORG_TYPES

    def __repr__(self) -> str:
        return f"Ent({self.name!r}, {self.type}, {self.how}{', known=' + self.known.id if self.known else ''})"


@dataclass(eq=False)
class Mention:
    """Where an entity is named: sentence index and key span ``[i, j)`` in that sentence's key."""

    sent: int
    i: int
    j: int
    ent: Ent
    how: str
    in_park: bool = False  # written 园区X


@dataclass
class Chain:
    name: str
    sent: int
    i: int
    j: int
    stages: list[Ent]


@dataclass
class Found:
    """Entities and their mentions per sentence, the home park and chains."""

    ents: list[Ent]
    by_sentence: dict[int, list[Mention]]
    home: Ent | None
    chains: list[Chain]

    def mentions(self, sent: int) -> list[Mention]:
        return self.by_sentence.get(sent, [])


# ---------------------------------------------------------------- the whole article


class _Builder:
    """Collects candidates sentence by sentence, then links, names the home park and resolves references."""

    def __init__(self, doc: Document, known: KnownEntities):
        self.doc = doc
        self.known = known
        self.by_key: dict[str, Ent] = {}
        self.mentions: dict[int, list[Mention]] = {}
        self.nested_in: list[tuple[Mention, Cand]] = []
        self.chains: list[Chain] = []
        self.word_ends: dict[int, bytes] = {}  # per sentence, 1 where a word ends (the words themselves are not kept)
        self.anaphors: dict[int, set[tuple[int, int]]] = {}  # per sentence, the spans of 联盟, 协会… that stand as words
        self.generic_known: list[tuple[int, Cand]] = []
        self.keys_of: dict[Ent, list[str]] = {}  # the keys of by_key that name each entity
        self.covers: dict[int, _Cover] = {}  # per sentence, while mentions are only added (the alias passes)
        self.by_char: dict[str, list[Sentence]] | None = None  # the sentences holding each character
        # per sentence: media names in bylines, then the statistical model's organization spans
        self.extra: dict[int, list[tuple[int, int, str, str]]] = {}
        for how, spans in (("byline", byline_spans(doc)), ("model", model_spans(doc))):
            for key, v in spans.items():
                self.extra.setdefault(key, []).extend((i, j, t, how) for i, j, t in v)

    def written(self, s: Sentence, i: int, j: int) -> str:
        return self.doc.name(*s.span(i, j))

    def ent_for(self, s: Sentence, c: Cand) -> Ent:
        if c.known:
            ke = c.known[0]
            k = "known:" + ke.id
            if k not in self.by_key:
                self.register(k, Ent(ke.name, ke.type, "known", known=ke))
            ent = self.by_key[k]
            w = self.written(s, c.i, c.j)
            if name_key(w) != name_key(ke.name):
                ent.aliases.setdefault(name_key(w), w)
            return ent
        w = self.written(s, c.i, c.j)
        k = name_key(w)
        same = [ke for ke in self.known.by_key.get(k, []) if ke.type == c.type] or self.known.by_key.get(k, [])
        if same:  # a name the rules found is a name the graph has
            return self.ent_for(s, Cand(c.i, c.j, same[0].type, "known", known=same))
        if k not in self.by_key:
            self.register(k, Ent(w, c.type, c.how, generic=c.generic))
        ent = self.by_key[k]
        if c.how == "suffix" and ent.how != "suffix":
            ent.type, ent.how, ent.generic = c.type, "suffix", c.generic
        if c.how == "chain":
            ent.generic = False
        return ent

    def register(self, k: str, ent: Ent) -> None:
        self.by_key[k] = ent
        self.keys_of.setdefault(ent, []).append(k)

    def sentence(self, s: Sentence) -> None:
        toks = Tokens(s.key)
        cands, chain_cands, chain_span = sentence_cands(s, toks, self.known)
        cands += extra_cands(s.key, cands, self.extra.get(s.index, ()))
        self.remember_words(s, toks)
        picked = pick(cands)
        # a generic descriptor right before a name of the same type is not a name (…投资基金极地基金)
        starts = {(d.i, d.type) for d, _ in picked}
        picked = [(c, n) for c, n in picked if not (c.generic and (c.j, c.type) in starts)]
        taken_at: dict[int, list[Cand]] = {}
        for o, n in picked:
            if not n:
                taken_at.setdefault(o.i, []).append(o)
        ms: list[Mention] = []
        for c, nested in picked:
            if c.how == "known" and c.generic:
                self.generic_known.append((s.index, c))
            outer = next((o for o in taken_at.get(c.i, ()) if o.j > c.j), None) if nested else None
            if nested and (outer is None or outer.type != "IndustrialPark"):
                continue
            m = Mention(s.index, c.i, c.j, self.ent_for(s, c), c.how, in_park=c.in_park)
            ms.append(m)
            if nested:
                self.nested_in.append((m, outer))
        ms.sort(key=lambda m: (m.i, -m.j))
        self.mentions[s.index] = ms
        if chain_span:
            stages = [next((m.ent for m in ms if m.i <= c.i and c.j <= m.j), None) for c in chain_cands]
            if all(stages):
                a, b = chain_span
                self.chains.append(Chain(self.written(s, a, b), s.index, chain_cands[0].i, b, stages))

    def remember_words(self, s: Sentence, toks: Tokens) -> None:
        """What the later passes need of a sentence's words, so its words need not be kept: where they end,
        and which bare 联盟 / 协会 … stand as words of their own (anaphora)."""
        ends = bytearray(len(s.key) + 1)
        for e in toks.ends:
            ends[e] = 1
        self.word_ends[s.index] = bytes(ends)
        self.anaphors[s.index] = {
            mt.span() for mt in _ANAPHOR.finditer(s.key)
            if mt.start() in toks.starts and mt.end() in toks.ends and (mt.start() == 0 or toks.is_boundary(toks.index_at(mt.start() - 1)) or ends_at(THIS_ONE, s.key, mt.start()))
        }

    # -- linking

    def declared_short_forms(self) -> None:
        """A short form the article declares, FULL（简称“X”）, FULL（以下简称X）or FULL（X）with X made of
        FULL's characters in order (国家科学及技术委员会（国科会）), names FULL wherever it is written."""
        done: set[tuple[int, str]] = set()
        for s in self.doc.sentences:
            declared = list(_DECLARED.finditer(s.key)) if "称" in s.key else []
            declared += list(_BRACKETED.finditer(s.key))
            for mt in declared:
                full = next((m.ent for m in self.mentions.get(s.index, []) if m.j == mt.start() and m.ent.is_org), None)
                form = mt.group(1)
                if full is None or name_key(form) == full.key:
                    continue
                if mt.re is _BRACKETED and not in_order(form, full.key):
                    continue
                other = self.by_key.get(name_key(self.written(s, *mt.span(1))))
                if other is not None and other is not full and not other.known:
                    self.merge(other, full)
                if (id(full), form) not in done:  # a repeated declaration adds nothing new
                    done.add((id(full), form))
                    self.add_alias_mentions(full, form, declared=True)

    def link_short_forms(self) -> None:
        ents = list(dict.fromkeys(self.by_key.values()))
        full = NameIndex([e for e in ents if not e.generic and e.is_org])  # a short form holds its full name's characters
        for e in ents:
            if e.known or not e.mentions:
                continue
            if e.generic:
                targets = [f for f in full.holding(e.key, e.type) if f is not e and is_short_form(e.key, f.key)]
            elif e.how == "chain" or e.key in SUFFIXES:
                continue
            else:  # a distinctive name only links as the tail of a longer one (东湖高新区 → 武汉东湖新技术开发区) or by initials
                # a name that begins another is its parent (浙江远驰…有限公司 of …宁波分公司), not its short form
                others = [f for f in full.holding(e.key, e.type) if f is not e and not f.known and not f.key.startswith(e.key)]
                targets = (
                    [f for f in others if is_tail(e.key, abbreviate(f.key))]
                    or [f for f in others if is_initials(e.key, f.key)]
                    or [f for f in others if len(f.key) > len(e.key) and any(drops_qualifiers(e.key, v) for v in {f.key, abbreviate(f.key)})]
                    or ([f for f in others if is_short_form(e.key, f.key)] if len(e.key) >= 6 and others and len(Tokens(e.key).words) >= 3 else [])
                    or [f for f in full.holding(e.key, "Company") if f is not e and e.how in ("list", "object", "model") and len(f.key) > len(e.key) >= 4 and full.unplaced(f).startswith(e.key)]
                )  # …, or the start of a company's name without its place: 龙冰新材 → 哈尔滨龙冰新材料股份有限公司
            if len(targets) > 1:  # several: the one named last before this short form
                first = {f: min((m.sent, m.i) for m in f.mentions) for f in targets if f.mentions}
                start = min((m.sent, m.i) for m in e.mentions)
                targets = [f for f in targets if first.get(f, (10**9, 0)) <= start][-1:]
            if len(targets) == 1:
                self.merge(e, targets[0])

    def merge(self, e: Ent, into: Ent) -> None:
        for m in e.mentions:
            m.ent = into
        into.mentions += e.mentions
        e.mentions = []
        if name_key(e.name) != into.key:
            into.aliases.setdefault(name_key(e.name), e.name)
        for k, v in e.aliases.items():
            into.aliases.setdefault(k, v)
        for k in self.keys_of.pop(e, []):
            self.register(k, into)

    def promote_named(self) -> None:
        """A plain name is still a name when two other organizations are named after it (天府国际生物城 →
        天府国际生物城管委会, 天府国际生物城投资发展有限公司) or when it is the subject of the headline (X：…)."""
        ents = [e for e in dict.fromkeys(self.by_key.values()) if e.mentions]
        head = self.doc.sentences[0] if self.doc.sentences else None
        by_key = sorted(ents, key=lambda o: o.key)  # the names starting with a key follow it
        keys = [o.key for o in by_key]
        for e in ents:
            if not e.generic or e.known:
                continue
            named_after = _count_up_to(2, (o for o in _from(by_key, keys, e.key) if o is not e and len(o.key) > len(e.key) and o.is_org)) >= 2
            in_headline = head is not None and any(m.sent == 0 and m.i == 0 and head.key[m.j : m.j + 1] in (":", "") for m in e.mentions)
            if named_after or in_headline:
                e.generic = False

    def derived_aliases(self) -> None:
        """Short forms the article uses for a full name: legal form dropped, quoted part."""
        for e in list(dict.fromkeys(self.by_key.values())):
            if e.generic or e.known or not e.is_org or not e.mentions:
                continue
            forms: set[str] = set()
            m0 = e.mentions[0]
            s0 = self.doc.sentences[m0.sent]
            a, b = s0.span(m0.i, m0.j)
            raw = self.doc.text[max(a - 1, 0) : b + 1]
            for q in re.findall(r"[“「『\"]([^”」』\"]{2,12})[”」』\"]", raw):
                if name_key(q) != e.key:
                    e.aliases.setdefault(name_key(q), q)  # a quoted part of a name is a name by itself
            if e.type == "Company":
                forms.update(company_short_forms(e.key))
            for f in sorted(forms, key=len, reverse=True):
                other = self.by_key.get(f)
                if other is not None and other is not e and not other.known and other.how in ("object", "list") and other.mentions:
                    self.merge(other, e)  # 与讯邦智联签约 names 深圳市讯邦智联科技股份有限公司
                self.add_alias_mentions(e, f)

    def add_alias_mentions(self, e: Ent, form: str, declared: bool = False) -> None:
        """Mentions of ``e`` wherever the article writes ``form`` on its own; ``form`` becomes an alias if it does.

        A generic form (园区) is only taken when the article ``declared`` it as the short form; a
        derived one only where it is not the start of a longer word (龙冰新 in 龙冰新材).
        """
        if form == e.key or (form in GENERIC_WORDS and not declared):
            return
        written = None
        for s in self.sentences_holding(form):
            if form not in s.key:
                continue
            ms = self.mentions.setdefault(s.index, [])
            cover = self.covers.get(s.index) or self.covers.setdefault(s.index, _Cover(s.key, ms))
            added = False
            for a in _occurrences(s.key, form):
                b = a + len(form)
                if cover.overlaps(a, b, ms):
                    continue  # inside another name (the full name itself, or a longer one)
                if not declared and b < len(s.key) and s.key[b].isalnum() and not self.word_ends[s.index][b]:
                    continue
                m = Mention(s.index, a, b, e, "alias")
                ms.append(m)
                cover.add(m)
                e.mentions.append(m)
                written = written or self.written(s, a, b)
                added = True
            if added:  # each sentence's mentions are kept in order (a pass that changes them sorts them again)
                ms.sort(key=lambda m: (m.i, -m.j))
        if written:
            e.aliases.setdefault(form, written)

    def sentences_holding(self, form: str) -> list[Sentence]:
        """The sentences holding every character of ``form`` may hold it: those holding its rarest one."""
        if self.by_char is None:
            self.by_char = {}
            for s in self.doc.sentences:
                for c in set(s.key):
                    self.by_char.setdefault(c, []).append(s)
        return min((self.by_char.get(c, []) for c in set(form)), key=len, default=self.doc.sentences)

    def home_park(self) -> Ent | None:
        ents = [e for e in dict.fromkeys(self.by_key.values()) if not e.generic and e.mentions]
        parks = [e for e in ents if e.type == "IndustrialPark" or e.type == "SciencePark" and e.how != "chain"]
        if not parks:
            return None
        # the park named most often (an industrial park on a tie), then the one named first
        return max(parks, key=lambda e: (len(e.mentions), e.type == "IndustrialPark", tuple(-x for x in min((m.sent, m.i) for m in e.mentions))))

    def park_references(self, home: Ent) -> None:
        """Bare 园区 is the home park; 园区机关 (or <park alias>机关) is that park's 管委会."""
        govs = [e for e in dict.fromkeys(self.by_key.values()) if e.type == "GovernmentBody" and e.mentions]
        bare = re.compile(self.bare_park_words(home))
        park_names = {home.key, *home.aliases, *re.findall(r"[^|]+", bare.pattern)}
        own_gov = [g for g in govs if any(g.key.startswith(p) for p in park_names) and g.key.endswith("管委会")]
        for s in self.doc.sentences:
            ms = self.mentions.setdefault(s.index, [])
            for mt in re.finditer("机关", s.key):
                a = mt.start()
                before = [m for m in ms if m.j == a]
                if before and before[0].ent.type == "GovernmentBody":
                    m = before[0]
                    m.j = mt.end()
                    m.ent.aliases.setdefault(name_key(self.written(s, m.i, m.j)), self.written(s, m.i, m.j))
                    continue
                ref = next((p for p in sorted(park_names, key=len, reverse=True) if p and s.key.startswith(p, a - len(p))), None)
                if ref and len(own_gov) == 1 and not any(m.i < mt.end() and a - len(ref) < m.j for m in ms if m.ent is not home):
                    ms[:] = [m for m in ms if not (m.ent is home and m.i >= a - len(ref) and m.j <= a)]
                    g = own_gov[0]
                    m = Mention(s.index, a - len(ref), mt.end(), g, "alias")
                    ms.append(m)
                    g.mentions.append(m)
                    g.aliases.setdefault(name_key(self.written(s, m.i, m.j)), self.written(s, m.i, m.j))
            cover = _Cover(s.key, ms)
            in_park = {m.i for m in ms if m.in_park}
            for mt in bare.finditer(s.key):
                a, b = mt.span()
                if not (cover.overlaps(a, b, ms) or b in in_park):
                    m = Mention(s.index, a, b, home, "home")
                    ms.append(m)
                    cover.add(m)
                    home.mentions.append(m)
            ms.sort(key=lambda m: (m.i, -m.j))

    @staticmethod
    def bare_park_words(home: Ent) -> str:
        """A regex of the words that, standing alone, mean the home park: 园区, and its type word (开发区, 科学园…)."""
        words = {"园区"} | {sf for sf, t in SUFFIXES.items() if t == home.type and abbreviate(home.key).endswith(sf) and len(sf) >= 2}
        return "|".join(sorted(map(re.escape, words), key=len, reverse=True))

    def anaphora(self) -> None:
        """A bare 联盟 / 协会 / 孵化器 … refers to the last organization of that type named before it,
        one whose name ends in the same word first (联盟 → …产业联盟 rather than a later …联合体)."""
        last: dict[str, Ent] = {}
        last_word: dict[str, Ent] = {}
        for s in self.doc.sentences:
            words = self.anaphors.get(s.index, set())
            ms = self.mentions.setdefault(s.index, [])
            cover = _Cover(s.key, ms)
            events = [(m.i, 0, m) for m in ms] + [(mt.start(), 1, mt) for mt in _ANAPHOR.finditer(s.key)]
            for _, kind, x in sorted(events, key=lambda ev: (ev[0], ev[1])):
                if kind == 0:
                    if not x.ent.generic:
                        last[x.ent.type] = x.ent
                        last_word.update((w, x.ent) for w, t in _ANAPHORS.items() if t == x.ent.type and x.ent.key.endswith(w))
                    continue
                a, b = x.span()
                word, typ = x.group(), _ANAPHORS[x.group()]
                if typ not in last or cover.overlaps(a, b, ms):
                    continue
                if (a, b) not in words:
                    continue
                start = s.span(a, b)[0]
                if start > 0 and self.doc.text[start - 1] in "“「『‘\"'":
                    continue  # “商会+园区”对接会: a quoted word names something, it does not refer back
                ent = last_word.get(word, last[typ])
                m = Mention(s.index, a, b, ent, "alias")
                ms.append(m)
                cover.add(m)
                ent.mentions.append(m)
                ent.aliases.setdefault(word, self.written(s, a, b))
            ms.sort(key=lambda m: (m.i, -m.j))

    def owned_generic(self, home: Ent | None) -> None:
        """Keep a generic name that belongs to the park (园区科学技术协会, 生物园区管委会); drop the rest."""
        refs = {"园区"} | ({home.key, *home.aliases, *re.findall(r"[^|]+", self.bare_park_words(home))} if home else set())
        for e in list(dict.fromkeys(self.by_key.values())):
            if e.generic and not e.known and e.mentions and any(e.key.startswith(r) and len(e.key) > len(r) and not e.key.startswith(r + "内") for r in refs if r):
                e.generic = False

    def drop_uncorroborated(self) -> None:
        """A known organization named here only by a generic alias (园区) is not taken to be meant."""
        spans = {(k, c.i, c.j) for k, c in self.generic_known}
        there = {m.ent for ms in self.mentions.values() for m in ms if (m.sent, m.i, m.j) in spans}
        drop = there - {m.ent for ms in self.mentions.values() for m in ms if (m.sent, m.i, m.j) not in spans}
        if drop:
            for ms in self.mentions.values():
                ms[:] = [m for m in ms if m.ent not in drop]
            for ent in drop:
                ent.mentions = []

    def finish(self) -> Found:
        self.drop_uncorroborated()
        listed: dict[Ent, set[int]] = {}
        for ms in self.mentions.values():
            for m in ms:
                ids = listed.get(m.ent)
                if ids is None:
                    ids = listed[m.ent] = {id(x) for x in m.ent.mentions}
                if id(m) not in ids:
                    ids.add(id(m))
                    m.ent.mentions.append(m)
        self.declared_short_forms()
        self.link_short_forms()
        self.promote_named()
        self.derived_aliases()
        self.covers = {}  # mentions change from here on
        home = self.home_park()
        if home:
            self.owned_generic(home)
            self.park_references(home)
        self.anaphora()
        first_at: dict[int, dict[tuple[int, int], Mention]] = {}  # per sentence with a nested park: the first mention at each span
        for inner, outer in self.nested_in:
            if inner.sent not in first_at:
                first_at[inner.sent] = {}
                for m in self.mentions[inner.sent]:
                    first_at[inner.sent].setdefault((m.i, m.j), m)
            outer_m = first_at[inner.sent].get((outer.i, outer.j))
            if outer_m and outer_m.ent is not inner.ent and outer_m.ent.parent_park is None:
                outer_m.ent.parent_park = (inner.ent, outer_m)
        keep = {e for e in self.by_key.values() if e.mentions and (not e.generic or e.known) and (e.key not in SUFFIXES or e.known or e.how == "chain")
                and not e.key.startswith(_DEICTIC)}  # a bare 孵化器 names nothing, nor do 以上园区 / 上述企业
        by_sentence = {k: [m for m in ms if m.ent in keep] for k, ms in self.mentions.items()}
        ents = [e for e in dict.fromkeys(self.by_key.values()) if e in keep]
        for e in ents:
            e.mentions = [m for m in e.mentions if m.ent is e]
            e.mentions.sort(key=lambda m: (m.sent, m.i))
            e.aliases.pop(e.key, None)
        chains: list[Chain] = []
        seen: set[tuple[Ent, ...]] = set()
        for c in self.chains:  # one chain per sequence of stages, at its first mention
            if all(st in keep for st in c.stages) and len(c.stages) >= 3 and tuple(c.stages) not in seen:
                seen.add(tuple(c.stages))
                chains.append(c)
        return Found(ents, by_sentence, home if home in keep else None, chains)


class _Cover:
    """The key positions a sentence's mentions cover, so whether a span overlaps one of them takes time
    proportional to the span, not to the number of mentions (kept up to date by ``add``)."""

    def __init__(self, key: str, ms: list[Mention]):
        self.at = bytearray(len(key) + 1)
        self.empty = any(m.i >= m.j for m in ms)  # an empty mention overlaps what strictly surrounds it
        for m in ms:
            self.add(m)

    def add(self, m: Mention) -> None:
        self.at[m.i : m.j] = b"\x01" * (m.j - m.i)
        self.empty = self.empty or m.i >= m.j

    def overlaps(self, a: int, b: int, ms: list[Mention]) -> bool:
        """``any(m.i < b and a < m.j for m in ms)``."""
        if self.empty or a >= b:
            return any(m.i < b and a < m.j for m in ms)
        return 1 in self.at[a:b]


def _occurrences(text: str, form: str):
    """Where ``form`` starts in ``text``, left to right, without overlaps (a plain search: no pattern to compile)."""
    a = text.find(form)
    while a >= 0:
        yield a
        a = text.find(form, a + len(form))


def _from(ordered: list, keys: list[str], prefix: str):
    """The items of ``ordered`` (sorted by their ``keys``) whose key starts with ``prefix``."""
    n = bisect_left(keys, prefix)
    while n < len(keys) and keys[n].startswith(prefix):
        yield ordered[n]
        n += 1


def _count_up_to(limit: int, items) -> int:
    n = 0
    for _ in items:
        n += 1
        if n >= limit:
            break
    return n


def find_entities(doc: Document, known: KnownEntities | None = None) -> Found:
    """Every organization (and known entity) named in ``doc``, with mentions and aliases."""
    b = _Builder(doc, known or KnownEntities([]))
    for s in doc.sentences:
        b.sentence(s)
    return b.finish()
