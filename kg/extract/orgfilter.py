"""A learned keep/drop decision over every organization the rules and the model found in an article.

The rules (:mod:`~kg.extract.orgspans`) and the statistical model (:mod:`~kg.extract.model_cands`)
propose names with high recall; whether a proposed name is one the article's reader would list
is scored by a logistic regression (:mod:`~kg.extract.learn`, weights in ``models/orgs.json``
written by ``scripts/train_orgs.py`` from ``real/dev``) over general features of the entity:
which passes found it, its type and suffix word, its length, the part of speech of its first
and last words, the characters around its mentions (a 、 list, a preposition, a verb), whether
the model agrees on its boundaries, how often it is named, and whether another name contains it.
Names of the graph, the home park and the stages of a chain are always kept. Beside the names found, the filter
weighs the model's spans no rule took, the other items of a 、 list naming one (siblings) and other boundaries
(:mod:`~kg.extract.orgbounds`); a bare 联盟 glued to what precedes it refers back (:mod:`~kg.extract.orgrefs`),
and a name left as the tail of one longer name joins it (:func:`~kg.extract.linking.merge_tails`).

``KG_ORG_FILTER=off`` (or :func:`using` with ``None``) keeps everything (to compare, or to train).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from kg.extract.document import Document
from kg.extract.entities import Ent, Found, Mention
from kg.extract.learn import Features, Model, load_model
from kg.extract.lexicon import MEASURE_WORD, SUFFIXES, suffix_of
from kg.extract.linking import merge_tails
from kg.extract.orgbounds import (
    Alt,
    Index,
    alternatives,
    apply_alternative,
    bucket,
    char_class,
    orphans,
    paired_with_china,
)
from kg.extract.orgcues import (
    name_cues,
    never_listed,
    only_after_a_count,
    only_in_its_party_name,
    project_after,
    title_after,
)
from kg.extract.orglists import list_siblings
from kg.extract.orgparts import is_place
from kg.extract.orgrefs import apply_refs
from kg.extract.shortforms import GLUE

__all__ = ["ent_features", "filter_found", "using", "MODEL_NAME"]

MODEL_NAME = "orgs"
_WINDOW = 4  # key characters on each side of a mention cut into words for their part of speech
DROP_BODIES = float(os.environ.get("KG_ORG_DROP_BODIES", "0.15"))
_BODIES = frozenset({"Alliance", "PartyBuildingCommunity", "Association", "ChamberOfCommerce"})
# the probability a body named only by its kind needs (chosen by CV: 0.4 dropped more of them but cost memberships)
KIND_BODIES = float(os.environ.get("KG_ORG_KIND_BODIES", "0.25"))
ALT_MARGIN = float(os.environ.get("KG_ORG_ALT_MARGIN", "0.05"))  # how much better another boundary must be (CV)
ADMIT = float(os.environ.get("KG_ORG_ADMIT", "0.5"))  # the probability a name no rule kept needs (chosen by CV)
_PROPER_POS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "nt", "eng"})  # not j: jieba tags 党建, 联盟 so
_DATE_START = re.compile(r"年度|年|月")
_TIME_START = re.compile(f"年度?|月|原|[余多]{MEASURE_WORD}")  # 原: former (原国务院), 余家: a count; not 日: 日照
# the model :func:`using` put in place and where it records what it scored, innermost last
_OVERRIDE: list[tuple[Model | None, list | None]] = []


@contextmanager
def using(model: Model | None, record: list | None = None) -> Iterator[None]:
    """Filter with ``model`` (None: keep every name as found) inside the block, appending ``(entity, features,
    alternative key or None)`` of every name and boundary it scores to ``record`` — for training and
    cross-validation."""
    _OVERRIDE.append((model, record))
    try:
        yield
    finally:
        _OVERRIDE.pop()


def _active() -> tuple[Model | None, list | None]:
    if _OVERRIDE:
        return _OVERRIDE[-1]
    if os.environ.get("KG_ORG_FILTER", "on").lower() in ("off", "0", "no", "false"):
        return None, None
    return load_model(MODEL_NAME), None


def _word_features(f: dict[str, float], name: str, ws: tuple[tuple[str, str], ...] | None) -> None:
    from kg.extract.segment import words

    ws = words(name) if ws is None else ws
    if not ws:
        return
    f["pos0=" + ws[0][1][:2]] = 1.0
    f["posN=" + ws[-1][1][:2]] = 1.0
    f["words=" + bucket(len(ws), (1, 2, 3, 5))] = 1.0
    if len(ws) > 1:
        f["pos1=" + ws[1][1][:2]] = 1.0
    core = [t for _, t in ws[:-1]]  # the words before the last (the suffix word, mostly)
    if _kind_only(name, ws):
        f["no_proper"] = 1.0  # 区域化党建联盟, 研究型大学, 基层单位党组织: a kind, not a name
    elif core and all(t == "ns" for t in core):
        f["core_place_only"] = 1.0  # 中国大学, 川渝园区 (and 青海大学)
    elif len(ws) == 1 and ws[0][1] == "ns":
        f["one_place_word"] = 1.0  # 西岭: a place, named alone


def _kind_only(name: str, ws: tuple[tuple[str, str], ...]) -> bool:
    """True when no word before the last of ``name`` (cut into ``ws``) is a proper noun and it holds no ASCII."""
    core = [t for _, t in ws[:-1]]
    return bool(core) and not any(t in _PROPER_POS for t in core) and not any(c.isascii() and c.isalnum() for c in name)


_LEVEL = re.compile("国家级|省级|市级|区级|县级")


def _rank_or_kind(e: Ent, ix: Index) -> bool:
    """True for a rank (国家级众创空间, 省级科技企业孵化器: a title the body holds) or a kind of body (学习型商会):
    the level word or 型 with nothing proper beside it (no name in the annotation of the 188-text dev is such);
    never a company (苏州精密成型有限公司) nor a body a place names (苏州市级机关工委)."""
    k = e.key
    if e.type == "Company":
        return False
    sf = suffix_of(k)
    if not _LEVEL.search(k) and not (sf and k[: len(k) - len(sf)].endswith("型")):
        return False
    from kg.extract.segment import words

    return _kind_only(k, ix.words_of(e) or words(k))


def _context_pos(f: dict[str, float], key: str, i: int, j: int, left: str | None) -> None:
    """The part of speech of the words on either side of a mention (a verb before it, a place word after it);
    ``left`` when it is known (the last word a cut took off)."""
    from kg.extract.segment import words

    if left is None:
        before = words(key[max(0, i - _WINDOW) : i]) if i > 0 else ()
        left = before[-1][1][:2] if before else "edge"
    after = words(key[j : j + _WINDOW])
    f["lpos=" + left] = 1.0
    f["rpos=" + (after[0][1][:2] if after else "edge")] = 1.0


def ent_features(e: Ent, ix: Index, alt: Alt | None = None) -> Features:
    """The features of entity ``e`` (or of its boundary alternative ``alt``), looked up in the article's ``ix``."""
    k = alt.key if alt else e.key
    di, dj = (alt.di, alt.dj) if alt else (0, 0)
    sf = suffix_of(k)
    typ = SUFFIXES[sf] if alt and sf else e.type
    f: dict[str, float] = {"how=" + e.how: 1.0, "type=" + typ: 1.0, f"type={typ}|how={e.how}": 1.0,
                           "suffix=" + (sf or "-"): 1.0, "len=" + bucket(len(k), (2, 3, 4, 6, 9, 14, 20)): 1.0}
    if sf:
        f["core=" + bucket(len(k) - len(sf), (0, 1, 2, 3, 5, 8))] = 1.0
    f["mentions=" + bucket(len(e.mentions), (1, 2, 4))] = 1.0
    if e.generic:
        f["generic"] = 1.0
    if e.aliases:
        f["aliased"] = 1.0
    if any(c.isascii() and c.isalnum() for c in k):
        f["ascii"] = 1.0
    _word_features(f, k, alt.words if alt else ix.words_of(e))
    _glue_features(f, k)
    name_cues(f, k)
    for m in e.mentions[:4]:
        key = ix.keys.get(m.sent, "")
        i, j = m.i + di, m.j + dj
        f["mhow=" + m.how] = 1.0
        f["left=" + char_class(key[i - 1 : i] if i > 0 else "")] = 1.0
        f["right=" + char_class(key[j : j + 1])] = 1.0
        if project_after(key, j):
            f["project_after"] = 1.0  # 签署…产业园|项目: a project's name
        if m is e.mentions[0]:
            if title_after(key, j):
                f["title_after"] = 1.0  # 苏州市委|常委, 省工信厅|原巡视员: a body named in a person's title
            _context_pos(f, key, i, j, alt.left if alt else None)
            ends = ix.word_ends.get(m.sent)
            if ends and 0 < i < len(ends) and not ends[i]:
                f["mid_word_start"] = 1.0  # 博|地区…, 藏|企业…: the sentence's words cross its left edge
        if m.sent == 0:
            f["headline"] = 1.0
        if m.in_park:
            f["in_park"] = 1.0
        for a, b, _t, how in ix.overlapping(m.sent, i, j):
            f[f"{how}_{_agreement(a, b, i, j)}"] = 1.0
    _written_features(f, ix, k, e.key if alt else None)
    if ix.in_other(k, e.key):
        f["inside_other"] = 1.0
    if ix.holds_name(k):
        f["holds_other"] = 1.0
    if alt:
        f.update(alt.features)
    return f


def _written_features(f: dict[str, float], ix: Index, k: str, found: str | None) -> None:
    """For a boundary ``k`` other than the one ``found``: how often the article writes ``k``, how often on its own
    (punctuation or a sentence's edge on both sides) and whether more often than the boundary found. The boundary
    found gets none: weighed on them, a name written once and never alone lost more than the boundaries gained
    (the seed's 签约|东方美谷)."""
    if found is None:
        return
    n, alone = ix.written(k)
    f["written=" + bucket(n, (1, 2, 4))] = 1.0
    f["alone_written=" + bucket(alone, (0, 1, 3))] = 1.0
    _, found_alone = ix.written(found)
    f["alone_vs_found=" + ("more" if alone > found_alone else "less" if alone < found_alone else "same")] = 1.0


def _glue_features(f: dict[str, float], k: str) -> None:
    """Whether a word that glues a clause to a name is at its start or inside it, or a date word starts it."""
    g = GLUE.search(k)
    if g:
        f["glue_start" if g.start() == 0 else "glue_in"] = 1.0
    if _TIME_START.match(k):
        f["time_start"] = 1.0


def _agreement(a: int, b: int, i: int, j: int) -> str:
    """How a span ``[a, b)`` of the model lies over a mention ``[i, j)``."""
    if (a, b) == (i, j):
        return "exact"
    if i <= a and b <= j:
        return "inside_start" if a == i else "inside_end" if b == j else "inside"
    if a <= i and j <= b:
        return "covers"
    return "crosses"


def _protected(found: Found) -> set[int]:
    keep = {id(e) for e in found.ents if e.known}
    if found.home is not None:
        keep.add(id(found.home))
    for c in found.chains:
        keep.update(id(st) for st in c.stages)
    return keep


def _scored(e: Ent, model: Model | None, record: list | None, ix: Index) -> list[tuple[float, Alt | None]]:
    """Every boundary of ``e`` (None: as found, first) with its probability; every one scored is recorded."""
    out: list[tuple[float, Alt | None]] = []
    for alt in (None, *alternatives(e, ix)):
        f = ent_features(e, ix, alt)
        if record is not None:
            record.append((e, f, alt.key if alt else None))
        out.append((model.probability(f) if model is not None else 0.0, alt))
    return out


def _after_a_date(e: Ent, ix: Index) -> Alt | None:
    """``e``'s name without the 年度 / 年 / 月 it starts with when a digit stands before each of its mentions."""
    m = _DATE_START.match(e.key)
    if m is None or not all(0 < x.i and ix.keys.get(x.sent, "")[x.i - 1 : x.i].isdigit() for x in e.mentions):
        return None
    return Alt(e.key[m.end() :], m.end(), 0, {})


def _need(e: Ent, ix: Index, model: Model, held: bool) -> float:
    """The probability ``e`` needs to be kept: more for a name no rule kept, less for a
    collaboration body (a membership's target) or the home park's own body (园区X) — unless its name is only a kind
    of body (区域化党建联盟, 战略性新兴产业联盟)."""
    if held:
        return max(model.threshold, ADMIT)
    own = e.key.startswith("园区") and len(e.key) > 2  # 园区科学技术协会: the home park's own body, by its generic name
    if e.type not in _BODIES and not own:
        return model.threshold
    from kg.extract.segment import word_freq, words

    ws = ix.words_of(e) or words(e.key)
    # only words jieba knows before the suffix (not 滇|商红链|党建共同体)
    kind = ws and _kind_only(e.key, ws) and all(word_freq(w) is not None for w, _ in ws[:-1])
    return KIND_BODIES if kind and not own else DROP_BODIES


def _bare(alt: Alt) -> bool:
    """True for the boundary that cuts a name down to a bare 联盟 / 协会 … (see
    :func:`~kg.extract.orgbounds.alternatives`)."""
    return isinstance(alt, Alt) and "alt=bare" in alt.features


def _decide(scored: list[tuple[float, Alt | None]], need: float) -> tuple[bool, Alt | None, Alt | None]:
    """Whether the name is kept (one of its boundaries other than a bare 联盟 is probable enough), the boundary it
    moves to (the most probable of those, where another must beat the one found by :data:`ALT_MARGIN`), and the bare
    boundary when it beats them all: the name is a bare 联盟 glued to what precedes it, a reference back (see
    :func:`~kg.extract.orgrefs.apply_refs`; with no body it stays as found)."""
    best_p, best = scored[0]
    best_p += ALT_MARGIN
    top_p, top = best_p, best
    for p, alt in scored[1:]:
        if p > top_p:
            top_p, top = p, alt
        if p > best_p and not _bare(alt):
            best_p, best = p, alt
    keep = max(p for p, alt in scored if alt is None or not _bare(alt)) >= need
    return keep, best if keep else None, top if top is not None and _bare(top) else None


def filter_found(found: Found, doc: Document, extra: Mapping[int, list], held: list[Ent] = (),
                 word_ends: Mapping[int, bytes] | None = None, span_words: Mapping | None = None) -> Found:
    """``found`` without the names the learned filter drops, with the boundaries it prefers and with the ``held``
    generic names it keeps (unchanged when no model is in use); ``word_ends`` marks, per sentence, where its words
    end (the words a name may grow by), ``span_words`` the words of the mentions as the sentence was cut."""
    model, record = _active()
    if model is None and record is None:
        return found
    held = [e for e in held if e.mentions and not _covered(e, found)]
    taken = {k: list(ms) for k, ms in found.by_sentence.items()}
    _take(taken, held)
    found_by_model = orphans(doc, extra, taken, {e.key for e in found.ents + held})
    _take(taken, found_by_model)
    held += found_by_model
    held += [e for e in list_siblings(doc, found.by_sentence, taken, {e.key for e in found.ents + held})
             if not is_place(e.key)]  # 东城、西岭、南湖区: a list of places beside a body
    ix = Index({s.index: s.key for s in doc.sentences}, extra, [e for e in found.ents if e.is_org] + held,
               found.by_sentence, word_ends, span_words)
    protected = _protected(found)
    drop: set[int] = set()
    moved: list[tuple[Ent, Alt]] = []
    refer: list[tuple[Ent, Alt]] = []
    held_ids = {id(e) for e in held}
    for e in found.ents + held:
        if e.is_org and id(e) not in protected and e.mentions:
            if model is not None and (never_listed(e, ix.keys) or _rank_or_kind(e, ix)):
                drop.add(id(e))
                continue
            scored = _scored(e, model, record, ix)
            if model is None:
                continue
            need = _need(e, ix, model, id(e) in held_ids)
            keep, alt, bare = _decide(scored, need)
            dated = _after_a_date(e, ix)
            if dated is not None:  # 2023年度|开发者联盟: a date is never part of a name
                keep, alt, bare = len(dated.key) >= 2 and dated.key not in SUFFIXES, dated, None
            if keep and bare is None and (alt is None or alt.dj == 0) and only_in_its_party_name(e, ix.keys):
                keep, alt = False, None  # 南岭科技有限公司|党支部: the party organization is the body named
            if (bare is not None or keep and (alt is None or alt.di == 0)) and only_after_a_count(e, ix.keys):
                keep, alt, bare = False, None, None  # 组建10家|企业创新联合体: several bodies, no name
            if keep and bare is None and dated is None:  # what a reviewer sees: how sure it is of the name kept
                e.confidence = round(next(p for p, a in scored if a is alt), 2)
            if bare is not None:  # joined once every other name is in place; with no body, as found
                refer.append((e, bare))
            elif not keep:
                drop.add(id(e))
            if alt is not None and bare is None:
                moved.append((e, alt))
    if model is None:
        return found
    return _rebuild(found, doc, ix, [e for e in held if id(e) not in drop], drop, moved, refer)


def _take(taken: dict[int, list[Mention]], ents: list[Ent]) -> None:
    for e in ents:  # every mention of ``ents`` is taken
        for m in e.mentions:
            taken.setdefault(m.sent, []).append(m)


def _covered(e: Ent, found: Found) -> bool:
    """True when a mention of ``e`` overlaps a mention the rules kept."""
    return any(x.i < m.j and m.i < x.j for m in e.mentions for x in found.by_sentence.get(m.sent, ()))


def _rebuild(found: Found, doc: Document, ix: Index, kept: list[Ent], drop: set[int],
             moved: list[tuple[Ent, Alt]], refer: list[tuple[Ent, Alt]]) -> Found:
    """``found`` with the ``kept`` held names, without the ``drop``ped ones, the ``moved`` ones at their new bounds;
    the mentions of each sentence are those of the entities left."""
    ents = found.ents + kept
    by_key = {e.key: e for e in ents if id(e) not in drop}
    for e in ents:  # a name cut to another's alias joins it (…申请加入|开发者联盟)
        if id(e) not in drop:
            for a in e.aliases:
                by_key.setdefault(a, e)
    for e, alt in moved:
        new = apply_alternative(e, alt, doc, ix.keys, by_key)
        if new is not None:
            new.confidence = e.confidence
            ents.append(new)
        if not e.mentions:
            drop.add(id(e))
    for e in [e for e in ents if id(e) not in drop and e.is_org and e.mentions]:
        paired = paired_with_china(e, ix.keys)
        if paired is not None:  # every mention moves: e is renamed, or joins the body already of that name
            apply_alternative(e, paired, doc, ix.keys, by_key)
        if not e.mentions:
            drop.add(id(e))
    apply_refs(refer, ents, drop)  # references back, once every other name is in place
    joined = merge_tails([e for e in ents if id(e) not in drop and e.is_org], _protected(found))
    ents = [e for e in ents if id(e) not in drop and id(e) not in joined]
    by_sentence: dict[int, list] = {s: [] for s in found.by_sentence}
    for e in ents:
        if e.parent_park is not None and id(e.parent_park[0]) in joined:
            e.parent_park = (joined[id(e.parent_park[0])], e.parent_park[1])
        if e.parent_park is not None and id(e.parent_park[0]) in drop:
            e.parent_park = None
        for m in e.mentions:
            by_sentence.setdefault(m.sent, []).append(m)
    for ms in by_sentence.values():
        ms.sort(key=lambda m: (m.i, -m.j))
    return Found(ents, by_sentence, found.home, found.chains)
