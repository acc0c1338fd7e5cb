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

Passes 2–4 look at one sentence at a time (:mod:`~kg.extract.orgspans`), pass 5 is
:mod:`~kg.extract.linking` (the tests of whether one name abbreviates another are in
:mod:`~kg.extract.shortforms`), pass 6 :mod:`~kg.extract.references`; what they find is
described by :mod:`~kg.extract.entities`.
"""

from __future__ import annotations

from bisect import bisect_left

from kg.extract.bylines import byline_spans
from kg.extract.cands import Cand
from kg.extract.document import Document, Sentence
from kg.extract.entities import Chain, Cover, Ent, Found, Mention
from kg.extract.known import KnownEntities
from kg.extract.lexicon import SUFFIXES, suffix_of
from kg.extract.linking import join_into, link_names
from kg.extract.model_cands import model_spans
from kg.extract.orgfilter import filter_found
from kg.extract.orgparts import (
    after_dateline,
    outside_brackets,
    over_brackets,
    party_parents,
    unglued,
    unglued_spans,
    whole_bodies,
)
from kg.extract.orgspans import THIS_ONE, ends_at, sentence_cands
from kg.extract.overlaps import extra_cands, pick
from kg.extract.references import ANAPHOR, resolve_references
from kg.extract.tokens import Tokens
from kg.text import name_key

__all__ = ["Builder", "Ent", "Mention", "Chain", "find_entities", "Found"]

_DEICTIC = ("以上", "上述", "这些", "那些", "各个", "其他")  # 以上园区, 上述企业 name nothing


# ---------------------------------------------------------------- the whole article


class Builder:
    """Collects candidates sentence by sentence, then links, names the home park and resolves references."""

    def __init__(self, doc: Document, known: KnownEntities):
        self.doc = doc
        self.known = known
        self.by_key: dict[str, Ent] = {}
        self.mentions: dict[int, list[Mention]] = {}
        self.nested_in: list[tuple[Mention, Cand]] = []
        self.chains: list[Chain] = []
        self.word_ends: dict[int, bytes] = {}  # per sentence, 1 where a word ends (the words themselves are not kept)
        # per sentence, the spans of 联盟, 协会… that stand as words
        self.anaphors: dict[int, set[tuple[int, int]]] = {}
        self.generic_known: list[tuple[int, Cand]] = []
        self.keys_of: dict[Ent, list[str]] = {}  # the keys of by_key that name each entity
        self.covers: dict[int, Cover] = {}  # per sentence, while mentions are only added (the alias passes)
        self.by_char: dict[str, list[Sentence]] | None = None  # the sentences holding each character
        self.held: list[Ent] = []  # generic names no rule keeps, for the learned filter to weigh
        self.span_words: dict[tuple[int, int, int], tuple] = {}  # (sentence, i, j) of a mention -> its words
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
        w = c.written or self.written(s, c.i, c.j)  # c.written: the name it goes by (乐山市政府 for a 市政府)
        k = name_key(w)
        same = [ke for ke in self.known.by_key.get(k, []) if ke.type == c.type] or self.known.by_key.get(k, [])
        if same:  # a name the rules found is a name the graph has
            return self.ent_for(s, Cand(c.i, c.j, same[0].type, "known", known=same))
        if k not in self.by_key:
            self.register(k, Ent(w, c.type, c.how, generic=c.generic))
        ent = self.by_key[k]
        if c.written:  # the name as written is its alias
            ent.aliases.setdefault(name_key(self.written(s, c.i, c.j)), self.written(s, c.i, c.j))
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
        cands = after_dateline(s.key, over_brackets(s.key, cands))
        # the model's spans taken apart once, here, for every later pass that reads them (orgbounds, admit)
        extra = unglued_spans(s.key, toks, self.extra.get(s.index, []))
        self.extra[s.index] = extra
        cands = unglued(s.key, toks, outside_brackets(cands + extra_cands(s.key, cands, extra)))
        cands = whole_bodies(s.key, cands, extra)  # the model's whole body over the rules' pieces inside it
        self.remember_words(s, toks)
        picked = pick(cands)
        # a generic descriptor right before a name of the same type is not a name (…投资基金极地基金)
        starts = {(d.i, d.type) for d, _ in picked}
        picked = [(c, n) for c, n in picked if not (c.generic and (c.j, c.type) in starts)]
        taken_at: dict[int, list[Cand]] = {}
        for o, n in picked:
            if not n:
                taken_at.setdefault(o.i, []).append(o)
        ms: list[Mention] = self.parent_mentions(s, toks, picked, cands)
        for c, nested in picked:
            if c.how == "known" and c.generic:
                self.generic_known.append((s.index, c))
            outer = next((o for o in taken_at.get(c.i, ()) if o.j > c.j), None) if nested else None
            if nested and (outer is None or outer.type != "IndustrialPark"):
                continue
            m = Mention(s.index, c.i, c.j, self.ent_for(s, c), c.how, in_park=c.in_park)
            if c.bracket:
                self.bracket_aliases(s, c, m.ent)
            ms.append(m)
            self.span_words[(s.index, c.i, c.j)] = tuple(
                (s.key[max(w.start, c.i) : min(w.end, c.j)], w.pos) for w in toks.span_words(c.i, c.j))
            if nested:
                self.nested_in.append((m, outer))
        ms.sort(key=lambda m: (m.i, -m.j))
        self.mentions[s.index] = ms
        if chain_span:
            stages = [next((m.ent for m in ms if m.i <= c.i and c.j <= m.j), None) for c in chain_cands]
            if all(stages):
                a, b = chain_span
                self.chains.append(Chain(self.written(s, a, b), s.index, chain_cands[0].i, b, stages))

    def parent_mentions(self, s: Sentence, toks: Tokens, picked: list[tuple[Cand, bool]],
                        cands: list[Cand]) -> list[Mention]:
        """Mentions of the bodies the sentence's party organizations are named after (X有限公司|党支部)."""
        out = []
        for c in party_parents([c for c, nested in picked if not nested], cands, s.key):
            m = Mention(s.index, c.i, c.j, self.ent_for(s, c), "parent")
            out.append(m)
            self.span_words[(s.index, c.i, c.j)] = tuple(
                (s.key[max(w.start, c.i) : min(w.end, c.j)], w.pos) for w in toks.span_words(c.i, c.j))
        return out

    def bracket_aliases(self, s: Sentence, c: Cand, ent: Ent) -> None:
        """The name as written with its bracket, and the bracket's name (not a place), as aliases; the bracket's name
        written alone elsewhere names the same body."""
        full = self.written(s, c.i, c.bracket)
        ent.aliases.setdefault(name_key(full), full)
        inner = s.key[c.j + 1 : c.bracket - 1]
        sf = suffix_of(inner)
        if sf and len(inner) > len(sf):
            w = self.written(s, c.j + 1, c.bracket - 1)
            ent.aliases.setdefault(name_key(w), w)
            if name_key(w) not in self.by_key:
                self.register(name_key(w), ent)

    def remember_words(self, s: Sentence, toks: Tokens) -> None:
        """What the later passes need of a sentence's words, so its words need not be kept: where they end,
        and which bare 联盟 / 协会 … stand as words of their own (anaphora)."""
        ends = bytearray(len(s.key) + 1)
        for e in toks.ends:
            ends[e] = 1
        self.word_ends[s.index] = bytes(ends)
        self.anaphors[s.index] = {
            mt.span() for mt in ANAPHOR.finditer(s.key)
            if mt.start() in toks.starts and mt.end() in toks.ends
            and (mt.start() == 0 or toks.is_boundary(toks.index_at(mt.start() - 1))
                 or ends_at(THIS_ONE, s.key, mt.start()))
        }

    # -- linking

    def merge(self, e: Ent, into: Ent) -> None:
        join_into(e, into)
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
            named_after = _count_up_to(2, (o for o in _from(by_key, keys, e.key)
                                           if o is not e and len(o.key) > len(e.key) and o.is_org)) >= 2
            in_headline = head is not None and any(m.sent == 0 and m.i == 0 and head.key[m.j : m.j + 1] in (":", "")
                                                   for m in e.mentions)
            if named_after or in_headline:
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
        link_names(self)
        self.covers = {}  # mentions change from here on
        home = resolve_references(self)
        # per sentence with a nested park: the first mention at each span
        first_at: dict[int, dict[tuple[int, int], Mention]] = {}
        for inner, outer in self.nested_in:
            if inner.sent not in first_at:
                first_at[inner.sent] = {}
                for m in self.mentions[inner.sent]:
                    first_at[inner.sent].setdefault((m.i, m.j), m)
            outer_m = first_at[inner.sent].get((outer.i, outer.j))
            if outer_m and outer_m.ent is not inner.ent and outer_m.ent.parent_park is None:
                outer_m.ent.parent_park = (inner.ent, outer_m)
        named = {e for e in self.by_key.values() if e.mentions
                 and (e.key not in SUFFIXES or e.known or e.how == "chain")
                 and not e.key.startswith(_DEICTIC)}  # a bare 孵化器 names nothing, nor do 以上园区 / 上述企业
        keep = {e for e in named if not e.generic or e.known}
        # generic names (省教育厅, 基层党组织) are left to the learned filter (:mod:`~kg.extract.orgfilter`)
        self.held = [e for e in dict.fromkeys(self.by_key.values()) if e in named and e not in keep and e.is_org]
        for e in self.held:
            e.mentions = sorted((m for m in e.mentions if m.ent is e), key=lambda m: (m.sent, m.i))
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
    b = Builder(doc, known or KnownEntities([]))
    for s in doc.sentences:
        b.sentence(s)
    found = filter_found(b.finish(), doc, b.extra, b.held, b.word_ends, b.span_words)
    for ms in found.by_sentence.values():  # the body a party organization is named after is named, but only there:
        ms[:] = [m for m in ms if m.how != "parent"]  # what the sentence says is said of the party organization
    return found
