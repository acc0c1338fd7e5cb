"""Linking pass: short forms an article declares or derives (简称,
legal form dropped, initials, tails) name the full organization."""

from __future__ import annotations

import re
from array import array
from functools import lru_cache

from kg.extract.document import Sentence
from kg.extract.entities import Collected, Cover, Ent, Mention
from kg.extract.lexicon import GENERIC_WORDS, SUFFIXES
from kg.extract.shortforms import (
    NameIndex,
    abbreviate,
    added,
    company_short_forms,
    drops_qualifiers,
    in_order,
    is_initials,
    is_short_form,
    is_tail,
)
from kg.extract.tokens import is_generic_name, name_words
from kg.text import name_key

__all__ = ["link_names", "merge_tails", "join_into"]

_DECLARED = re.compile(r"[(,](?:以下)?(?:简称|下称|以下称)[:]?([^(),;。:]{2,12})[),]")
_BRACKETED = re.compile(r"\(([^\d(),;。:、]{2,8})\)")
# bodies with members (as clause.BODIES): a place before one's name may make another body (宁波|温州商会)
_MEMBER_BODIES = frozenset({"Alliance", "PartyBuildingCommunity", "Association", "ChamberOfCommerce"})
_KIND_ONLY = 6  # a tail shorter than this that no word distinguishes (企业联合会) is a kind: the one body of it


def link_names(bld: Collected) -> None:
    """Declared short forms, then short forms linked to their full names, then derived aliases."""
    declared_short_forms(bld)
    link_short_forms(bld)
    bld.promote_named()
    derived_aliases(bld)


def declared_short_forms(bld: Collected) -> None:
    """A short form the article declares, FULL（简称“X”）, FULL（以下简称X）or FULL（X）with X made of
    FULL's characters in order (国家科学及技术委员会（国科会）), names FULL wherever it is written."""
    done: set[tuple[int, str]] = set()
    for s in bld.doc.sentences:
        declared = list(_DECLARED.finditer(s.key)) if "称" in s.key else []
        declared += list(_BRACKETED.finditer(s.key))
        for mt in declared:
            full = next((m.ent for m in bld.mentions.get(s.index, []) if m.j == mt.start() and m.ent.is_org), None)
            form = mt.group(1)
            if full is None or name_key(form) == full.key:
                continue
            if mt.re is _BRACKETED and not in_order(form, full.key):
                continue
            other = bld.by_key.get(name_key(bld.written(s, *mt.span(1))))
            if other is not None and other is not full and not other.known:
                bld.merge(other, full)
            if (id(full), form) not in done:  # a repeated declaration adds nothing new
                done.add((id(full), form))
                add_alias_mentions(bld, full, form, declared=True)


def link_short_forms(bld: Collected) -> None:
    ents = list(dict.fromkeys(bld.by_key.values()))
    full = NameIndex([e for e in ents if not e.generic and e.is_org])  # a short form holds its full name's characters
    written: dict[str, list[Ent]] = {}  # a government's alias as written (市政府 of 长春市委、市政府) -> the bodies
    for e in ents:
        if e.type == "GovernmentBody" and e.mentions:
            for a in e.aliases:
                written.setdefault(a, []).append(e)
    for e in ents:
        if e.known or not e.mentions:
            continue
        if e.generic and e.type == "GovernmentBody" and e.key in written:  # 市委、市政府的桥梁 … 长春市委、市政府:
            # the bare 市政府 is the one 长春市政府 written so
            targets = [f for f in written[e.key] if f is not e]
        elif e.generic:
            targets = [f for f in full.holding(e.key, e.type) if f is not e and is_short_form(e.key, f.key)]
        elif e.how == "chain" or e.key in SUFFIXES:
            continue
        # a distinctive name only links as the tail of a longer one (东湖高新区 → 武汉东湖新技术开发区) or by initials
        else:
            # a name that begins another is its parent (浙江远驰…有限公司 of …宁波分公司), not its short form
            others = [f for f in _holding(full, e.key, e.type)
                      if f is not e and not f.known and not f.key.startswith(e.key)]
            targets = (
                [f for f in others if len(f.key) > len(e.key) and is_tail(abbreviate(e.key), abbreviate(f.key))
                 and _same_body(f, len(f.key) - len(e.key))]
                or [f for f in others if is_initials(e.key, f.key)]
                or [f for f in others if len(f.key) > len(e.key)
                    and any(drops_qualifiers(e.key, v) for v in {f.key, abbreviate(f.key)})]
                or ([f for f in others if is_short_form(e.key, f.key)]
                    if len(e.key) >= 6 and others and len(name_words(e.key)) >= 3 else [])
                or [f for f in full.holding(e.key, "Company")
                    if f is not e and e.how in ("list", "object", "model") and len(f.key) > len(e.key) >= 4
                    and full.unplaced(f).startswith(e.key)]
            )  # …, or the start of a company's name without its place: 龙冰新材 → 哈尔滨龙冰新材料股份有限公司
            if not targets and e.type == "Organization":
                targets = _untyped_targets(e, full)
        if len(targets) > 1:  # several: the one named last before this short form
            first = {f: min((m.sent, m.i) for m in f.mentions) for f in targets if f.mentions}
            start = min((m.sent, m.i) for m in e.mentions)
            targets = [f for f in targets if first.get(f, (10**9, 0)) <= start][-1:]
        if len(targets) == 1:
            bld.merge(e, targets[0])


def merge_tails(ents: list[Ent], keep: set[int]) -> dict[int, Ent]:
    """Join each name that is the tail (after at least two characters, :func:`is_tail`) or an alias of exactly one
    longer name of the same type (企业联合会 of 南岭市东湖区企业联合会) to it, as its alias, unless one sentence names
    both — after the learned filter, which may have kept, cut or grown names the linking pass never saw. The tail of
    a body with members that a word distinguishes joins only when what the longer adds before it is no name of its
    own (:func:`_same_body`: 宁波|温州商会 is Wenzhou's chamber in Ningbo, 杭州市|智能制造产业联盟 beside a national
    one: other bodies); a short kind (企业联合会) joins the one body of its kind. Longest names first, so a chain
    of tails (企业联合会 / 东湖区企业联合会 / 南岭市东湖区企业联合会) ends at the longest: a name joined is no target.
    A name that is no tail joins the one longer name it is with qualifiers left out (:func:`drops_qualifiers`:
    湖南米粉产业联盟 of 湖南省米粉产业联盟, 杨林工业园 of 杨林工业园区), the test the linking pass made before the
    filter cut it from 抱团发展|湖南米粉产业联盟.
    The ``keep`` ids (the home park, a chain's stages) are never joined. Returns ``id(joined) -> its target``."""
    tails: dict[str, list[tuple[Ent, bool]]] = {}
    for x in ents:
        for n in range(2, len(x.key) - 1):
            tails.setdefault(x.key[n:], []).append((x, _same_body(x, n)))
        for a in x.aliases:
            tails.setdefault(a, []).append((x, True))
    joined: dict[int, Ent] = {}
    full: NameIndex | None = None
    for y in sorted(ents, key=lambda e: -len(e.key)):
        if y.known or id(y) in keep or not y.mentions or y.key in SUFFIXES:
            continue
        if y.key in tails:
            kind = len(y.key) < _KIND_ONLY and is_generic_name(name_words(y.key))
            found = [x for x, same in tails[y.key] if same or kind]
        else:  # cut by the filter after the linking pass: 抱团发展|湖南米粉产业联盟 of 湖南省米粉产业联盟
            full = full or NameIndex([x for x in ents if not x.generic])
            found = [x for x in full.holding(y.key, y.type) if len(x.key) > len(y.key)
                     and drops_qualifiers(y.key, x.key)]
        targets = list({id(x): x for x in found if x is not y and x.type == y.type and not x.known
                        and x.mentions and id(x) not in joined}.values())
        if len(targets) != 1 or {m.sent for m in y.mentions} & {m.sent for m in targets[0].mentions}:
            continue  # written in one sentence (辐射加工产业联盟加入…及辐射加工产业联盟), the article tells them apart
        join_into(y, targets[0])
        joined[id(y)] = targets[0]
    return joined


def _same_body(x: Ent, n: int) -> bool:
    """Whether ``x`` without its first ``n`` characters may name the same body: always, but for a body with members
    when what the ``n`` add may be a name of its own (宁波|温州商会, 杭州市|智能制造产业联盟: :func:`added`)."""
    return x.type not in _MEMBER_BODIES or added(x.key[:n], x.key[n:]) is not None


def join_into(y: Ent, x: Ent, alias: bool = True) -> None:
    """Move every mention of ``y`` to ``x``; ``y``'s name and aliases become ``x``'s aliases (``alias``: else
    they are dropped — a span the text never writes as a name)."""
    for m in y.mentions:
        m.ent = x
    x.mentions = sorted(x.mentions + y.mentions, key=lambda m: (m.sent, m.i))
    y.mentions = []
    for k, v in ((y.key, y.name), *y.aliases.items()) if alias else ():
        if k != x.key:
            x.aliases.setdefault(k, v)


def _holding(full: NameIndex, key: str, type_: str) -> list[Ent]:
    """The names of ``type_`` holding every character of ``key`` or of its abbreviation (甘泉堡经济技术开发区 is
    乌鲁木齐甘泉堡经开区's tail once abbreviated, and holds characters that name does not)."""
    out = full.holding(key, type_)
    short = abbreviate(key)
    return out if short == key else list(dict.fromkeys(out + full.holding(short, type_)))


def _untyped_targets(e: Ent, full: NameIndex) -> list[Ent]:
    """The names of any type that a name with no suffix word (typed Organization) abbreviates as their tail:
    崑山科大 → 崑山科技大学, 中科院金属所 → 中国科学院金属研究所."""
    short = abbreviate(e.key)
    return [f for t in full.types() if t != e.type for f in _holding(full, e.key, t)
            if f is not e and not f.known and len(f.key) > len(e.key) and is_tail(short, abbreviate(f.key))]


def derived_aliases(bld: Collected) -> None:
    """Short forms the article uses for a full name: legal form dropped, quoted part."""
    for e in list(dict.fromkeys(bld.by_key.values())):
        if e.generic or e.known or not e.is_org or not e.mentions:
            continue
        forms: set[str] = set()
        m0 = e.mentions[0]
        s0 = bld.doc.sentences[m0.sent]
        a, b = s0.span(m0.i, m0.j)
        raw = bld.doc.text[max(a - 1, 0) : b + 1]
        for q in re.findall(r"[“「『\"]([^”」』\"]{2,12})[”」』\"]", raw):
            if name_key(q) != e.key:
                e.aliases.setdefault(name_key(q), q)  # a quoted part of a name is a name by itself
        if e.type == "Company":
            forms.update(company_short_forms(e.key))
        for f in sorted(forms, key=len, reverse=True):
            other = bld.by_key.get(f)
            if (other is not None and other is not e and not other.known and other.mentions
                    and (other.how in ("object", "list") or other.type in ("Company", "Organization"))):
                bld.merge(other, e)  # 与讯邦智联签约, 讯邦智联集团 name 深圳市讯邦智联科技股份有限公司
            add_alias_mentions(bld, e, f)

def add_alias_mentions(bld: Collected, e: Ent, form: str, declared: bool = False) -> None:
    """Mentions of ``e`` wherever the article writes ``form`` on its own; ``form`` becomes an alias if it does.

    A generic form (园区) is only taken when the article ``declared`` it as the short form; a
    derived one only where it is not the start of a longer word (龙冰新 in 龙冰新材).
    """
    if form == e.key or (form in GENERIC_WORDS and not declared):
        return
    written = None
    for s in sentences_holding(bld, form):
        if form not in s.key:
            continue
        ms = bld.mentions.setdefault(s.index, [])
        cover = bld.covers.get(s.index) or bld.covers.setdefault(s.index, Cover(s.key, ms))
        added = False
        for a in _occurrences(s.key, form):
            b = a + len(form)
            if cover.overlaps(a, b, ms):
                continue  # inside another name (the full name itself, or a longer one)
            if not declared and b < len(s.key) and s.key[b].isalnum() and not bld.word_ends[s.index][b]:
                continue
            m = Mention(s.index, a, b, e, "alias", declared=declared)
            ms.append(m)
            cover.add(m)
            e.mentions.append(m)
            written = written or bld.written(s, a, b)
            added = True
        if added:  # each sentence's mentions are kept in order (a pass that changes them sorts them again)
            ms.sort(key=lambda m: (m.i, -m.j))
    if written:
        e.aliases.setdefault(form, written)

def sentences_holding(bld: Collected, form: str) -> list[Sentence]:
    """The sentences holding every character of ``form`` may hold it: those holding its rarest one."""
    if bld.by_char is None:
        bld.by_char = {}
        for s in bld.doc.sentences:
            for c in set(s.key):
                bld.by_char.setdefault(c, []).append(s)
    return min((bld.by_char.get(c, []) for c in set(form)), key=len, default=bld.doc.sentences)


def _occurrences(text: str, form: str):
    """Where ``form`` starts in ``text``, left to right, without overlaps (a plain search: no pattern to compile).
    In a long sentence, only where its rarest pair of characters stands (a list of 1,500 names is one sentence of
    19,000 characters, searched for each name's three short forms; its names share their single characters)."""
    if len(text) < _LONG or len(form) < 2:
        a = text.find(form)
        while a >= 0:
            yield a
            a = text.find(form, a + len(form))
        return
    at = _pair_positions(text)
    off = min(range(len(form) - 1), key=lambda o: len(at.get(form[o : o + 2], ())))
    n, free = len(form), 0
    for p in at.get(form[off : off + 2], ()):
        a = p - off
        if a >= free and text.startswith(form, a):
            yield a
            free = a + n


_LONG = 4096  # characters of a sentence from which where its pairs of characters stand is indexed


@lru_cache(maxsize=4)
def _pair_positions(text: str) -> dict[str, array]:
    """Where each pair of characters of ``text`` starts, ascending."""
    at: dict[str, array] = {}
    for p in range(len(text) - 1):
        pair = text[p : p + 2]
        got = at.get(pair)
        if got is None:
            got = at[pair] = array("i")
        got.append(p)
    return at
