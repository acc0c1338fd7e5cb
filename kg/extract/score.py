"""Score extracted facts against a gold annotation: precision, recall and F1 per kind of fact.

Gold files (``tests/data/extract/<name>.gold.yaml``)::

    organizations:                 # every organization the article names
      - {name: 青海大学, type: University}
      - {name: 金诃藏药集团有限公司, aliases: [金诃藏药], type: Company}
    memberships:                   # [member, organization, status]
      - [青海大学, 绿色算力党建联盟, planned]
    relations:                     # [subject, predicate, object], whatever their status
      - [金诃藏药集团有限公司, locatedIn, 西宁经济技术开发区生物科技产业园区]
    indicators:                    # [subject, metric, value, unit] (optional section)
      - [红领宁商党建共同体, 成员单位数, 13, 个]

Names are compared by :func:`kg.text.name_key` (width, quotation marks, traditional →
simplified). Organizations are scored *exact* (name against name) and *alias-aware*
(any name or alias of a prediction against any of a gold organization, one to one), and per
class (``org:Company`` …: found alias-aware *and* given the gold class).
Memberships and relations are compared as (subject, predicate, object) after mapping every
predicted name to the gold organization it matched; a membership's predicate is
``memberOf``, ``plannedMemberOf`` or ``formerMemberOf`` by its status.
Indicators (scored only for gold files that have the section) match when the subject is the
same organization, the value and unit are the same quantity (21.5 万平方米 = 215000 平方米, 1.5 亿元 =
15000 万元, 平方公尺 = 平方米) and the metrics share two characters in a row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kg.text import name_key

__all__ = ["Score", "Predicted", "score", "by_confidence", "memberships_by_confidence", "membership_verdicts",
           "more_sure", "add_bands", "in_band_order", "from_facts", "from_extraction", "read_gold", "stem_of",
           "GOLD_SUFFIX", "CONFIDENCE_BANDS"]

GOLD_SUFFIX = ".gold.yaml"  # an article's gold beside it: name.txt + name.gold.yaml


def stem_of(gold_path: Any) -> str:
    """The stem of a gold file (the article's name: ``a.gold.yaml`` → ``a``)."""
    return gold_path.name[: -len(GOLD_SUFFIX)]


_MEMBER_PRED = {"active": "memberOf", "planned": "plannedMemberOf", "ended": "formerMemberOf"}


@dataclass
class Score:
    tp: int
    n_pred: int
    n_gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else (1.0 if not self.n_gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.n_pred + other.n_pred, self.n_gold + other.n_gold)


@dataclass
class Predicted:
    """What was extracted, reduced to names: organizations (name + aliases), memberships, relations."""

    orgs: list[tuple[str, list[str]]] = field(default_factory=list)
    org_types: list[str] = field(default_factory=list)  # the class of each of ``orgs``, when known
    org_confidence: list[float | None] = field(default_factory=list)  # the filter's, for each of ``orgs``
    memberships: set[tuple[str, str, str]] = field(default_factory=set)
    # the pair model's, for those of ``memberships`` it alone kept (absent or None: a rule kept it)
    membership_confidence: dict[tuple[str, str, str], float | None] = field(default_factory=dict)
    relations: set[tuple[str, str, str]] = field(default_factory=set)
    indicators: list[tuple[str, str, float, str]] = field(default_factory=list)
    missed: dict[str, list[Any]] = field(default_factory=dict)

    def add_membership(self, member: str, body: str, status: str, confidence: float | None) -> None:
        """A membership proposed, with the pair model's confidence (None: a rule's); proposed twice, it keeps
        :func:`more_sure` of the two."""
        k = (member, body, status)
        sure = self.membership_confidence
        sure[k] = confidence if k not in self.memberships else more_sure(sure[k], confidence)
        self.memberships.add(k)


def _org_matching(pred: list[tuple[str, list[str]]], gold: list[dict[str, Any]], aliases: bool) -> dict[int, int]:
    """Predicted index -> gold index, one to one (exact name first, then shared aliases)."""
    gold_keys = [({name_key(g["name"])} | ({name_key(a) for a in g.get("aliases", [])} if aliases else set()))
                 for g in gold]
    match: dict[int, int] = {}
    used: set[int] = set()
    for exact_pass in (True, False):
        for pi, (name, al) in enumerate(pred):
            if pi in match:
                continue
            keys = {name_key(name)} if exact_pass or not aliases else {name_key(name)} | {name_key(a) for a in al}
            for gi, gk in enumerate(gold_keys):
                if gi not in used and (name_key(gold[gi]["name"]) in keys if exact_pass else keys & gk):
                    match[pi] = gi
                    used.add(gi)
                    break
    return match


#: the bands of the filter's confidence a reviewer may read the organizations by (lower bounds, highest first)
CONFIDENCE_BANDS = (0.9, 0.7, 0.5, 0.0)


def by_confidence(pred: Predicted, gold: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """How many of the organizations proposed in each band of the filter's confidence are right (alias-aware), as
    ``{band: (right, proposed)}``; ``none`` for the names the filter did not weigh (a rule or the graph kept them)."""
    right = _org_matching(pred.orgs, gold.get("organizations") or [], aliases=True)
    return _bands((c, pi in right) for pi, c in enumerate(pred.org_confidence))


def memberships_by_confidence(pred: Predicted, gold: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """The same for the memberships, each counted once as :func:`score` counts it (names mapped to the gold
    organizations they matched, status as predicate); ``none`` for those a rule kept (also when one of two
    predictions the scorer counts as one was a rule's), else the higher confidence of the two."""
    proposed, _ = membership_verdicts(pred, gold)
    return _bands((conf, verdict == "right") for _m, _o, _s, conf, verdict in proposed)


def membership_verdicts(pred: Predicted, gold: dict[str, Any]) -> tuple[list[tuple[str, str, str, float | None, str]],
                                                                        list[tuple[str, str, str, str]]]:
    """Why each membership is right or wrong, counted as :func:`score` counts it.

    The proposed ones, once each, as (member, body, status, confidence as in :func:`memberships_by_confidence`,
    verdict): ``right``; ``other status`` (the gold pairs them, said otherwise); ``member not listed``, ``body not
    listed``, ``neither listed`` (a name the gold does not list); ``not paired`` (both listed, not as this pair).
    The gold ones not proposed, as (member, body, status, reason): ``member not found``, ``body not found``,
    ``neither found`` (the organization pass missed the name), ``not kept`` (both found, the pair not proposed or
    dropped)."""
    gold_orgs = gold.get("organizations") or []
    c = _namer(pred, gold_orgs)
    listed = {name_key(g["name"]) for g in gold_orgs}
    gold_m = {(c(m), _MEMBER_PRED[s], c(o)): (m, o, s) for m, o, s in gold.get("memberships") or []}
    gold_pairs = {(m, o) for m, _, o in gold_m}
    first: dict[tuple[str, str, str], tuple[str, str, str]] = {}
    sure: dict[tuple[str, str, str], float | None] = {}
    for m, o, s in sorted(pred.memberships):
        k, conf = (c(m), _MEMBER_PRED[s], c(o)), pred.membership_confidence.get((m, o, s))
        first.setdefault(k, (m, o, s))
        sure[k] = conf if k not in sure else more_sure(sure[k], conf)
    proposed = []
    for k, conf in sure.items():
        m, _, o = k
        verdict = ("right" if k in gold_m else "other status" if (m, o) in gold_pairs
                   else "neither listed" if m not in listed and o not in listed else "member not listed"
                   if m not in listed else "body not listed" if o not in listed else "not paired")
        proposed.append((*first[k], conf, verdict))
    found = {c(n) for n, _ in pred.orgs}
    missed = []
    for k, (m, o, s) in gold_m.items():
        if k not in sure:
            a, b = k[0] in found, k[2] in found
            missed.append((m, o, s, "not kept" if a and b else "member not found" if b else "body not found" if a
                           else "neither found"))
    return proposed, missed


def more_sure(a: float | None, b: float | None) -> float | None:
    """The confidence of one proposal made twice: None (a rule's) when either is, else the higher."""
    return None if a is None or b is None else max(a, b)


def _bands(items: Iterable[tuple[float | None, bool]]) -> dict[str, tuple[int, int]]:
    """``{band: (right, proposed)}`` of (confidence, right) pairs; ``none`` for no confidence."""
    out: dict[str, tuple[int, int]] = {}
    for c, ok in items:
        band = "none" if c is None else f"≥ {next((b for b in CONFIDENCE_BANDS if c >= b), 0.0):.1f}"
        r, n = out.get(band, (0, 0))
        out[band] = (r + ok, n + 1)
    return out


def add_bands(total: dict[str, list[int]], counts: dict[str, tuple[int, int]]) -> None:
    """``counts`` (``{band: (right, proposed)}`` of one text) added to the running ``total``."""
    for band, (r, n) in counts.items():
        got = total.setdefault(band, [0, 0])
        got[0], got[1] = got[0] + r, got[1] + n


def in_band_order(bands: Iterable[str]) -> list[str]:
    """The bands from the surest down, ``none`` (no confidence: a rule kept them) last."""
    return sorted(bands, key=lambda b: (b == "none", -float(b.split()[-1]) if b != "none" else 0.0))


def _namer(pred: Predicted, gold_orgs: list[dict[str, Any]], alias: dict[int, int] | None = None):
    """Name -> the key of the gold organization it matched (alias-aware; ``alias``: that matching, when made), else
    its own key."""
    alias = _org_matching(pred.orgs, gold_orgs, aliases=True) if alias is None else alias
    canon: dict[str, str] = {}
    for pi, gi in alias.items():
        name, al = pred.orgs[pi]
        for n in (name, *al):
            canon[name_key(n)] = name_key(gold_orgs[gi]["name"])
    for g in gold_orgs:
        for n in (g["name"], *g.get("aliases", [])):
            canon.setdefault(name_key(n), name_key(g["name"]))

    def c(n: str) -> str:
        return canon.get(name_key(n), name_key(n))

    return c


def score(pred: Predicted, gold: dict[str, Any]) -> dict[str, Score]:
    """Scores by kind: ``org_exact``, ``org_alias``, ``membership``, ``relation`` and one per relation predicate."""
    gold_orgs = gold.get("organizations") or []
    exact = _org_matching(pred.orgs, gold_orgs, aliases=False)
    alias = _org_matching(pred.orgs, gold_orgs, aliases=True)
    out = {
        "org_exact": Score(len(exact), len(pred.orgs), len(gold_orgs)),
        "org_alias": Score(len(alias), len(pred.orgs), len(gold_orgs)),
    }
    if len(pred.org_types) == len(pred.orgs):  # per class: found with the right class (alias-aware)
        for t in sorted({g.get("type", "Organization") for g in gold_orgs} | set(pred.org_types)):
            tp = sum(1 for pi, gi in alias.items()
                     if pred.org_types[pi] == t == gold_orgs[gi].get("type", "Organization"))
            out["org:" + t] = Score(tp, pred.org_types.count(t),
                                    sum(1 for g in gold_orgs if g.get("type", "Organization") == t))
    c = _namer(pred, gold_orgs, alias)
    gold_m = {(c(m), _MEMBER_PRED[s], c(o)) for m, o, s in gold.get("memberships") or []}
    pred_m = {(c(m), _MEMBER_PRED[s], c(o)) for m, o, s in pred.memberships}
    out["membership"] = Score(len(gold_m & pred_m), len(pred_m), len(gold_m))
    gold_r = {(c(s), p, c(o)) for s, p, o in gold.get("relations") or []}
    pred_r = {(c(s), p, c(o)) for s, p, o in pred.relations}
    out["relation"] = Score(len(gold_r & pred_r), len(pred_r), len(gold_r))
    for p in sorted({r[1] for r in gold_r | pred_r}):
        g = {r for r in gold_r if r[1] == p}
        q = {r for r in pred_r if r[1] == p}
        out["relation:" + p] = Score(len(g & q), len(q), len(g))
    if "indicators" in gold:
        out["indicator"] = _indicator_score(pred.indicators, gold.get("indicators") or [], c)
    pred.missed = {
        "organizations": [g["name"] for gi, g in enumerate(gold_orgs) if gi not in set(alias.values())],
        "spurious organizations": [pred.orgs[pi][0] for pi in range(len(pred.orgs)) if pi not in alias],
        "memberships": sorted(gold_m - pred_m),
        "spurious memberships": sorted(pred_m - gold_m),
        "relations": sorted(gold_r - pred_r),
        "spurious relations": sorted(pred_r - gold_r),
    }
    return out


_MULTIPLIERS = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}
_SAME_UNIT = {"平方公尺": "平方米", "公尺": "米", "％": "%"}


def _quantity(value: Any, unit: Any) -> tuple[float, str]:
    """A value and unit in one scale: 億元 is 亿元; 21.5万平方米 is 215000 平方米 and 1.5亿元 is 15000万元 (both
    150000000 元), 1千万元 is 0.1亿元 — every leading multiplier is read, however the annotator or the extractor
    wrote it; 平方公尺 is 平方米."""
    u = "%" if unit in ("%", "％") else name_key(str(unit))
    v = float(value)
    while len(u) > 1 and u[0] in _MULTIPLIERS:
        v, u = v * _MULTIPLIERS[u[0]], u[1:]
    return v, _SAME_UNIT.get(u, u)


def _shares_bigram(a: str, b: str) -> bool:
    a, b = name_key(a), name_key(b)
    return bool({a[i : i + 2] for i in range(len(a) - 1)} & {b[i : i + 2] for i in range(len(b) - 1)})


def _indicator_score(pred: list[tuple[str, str, float, str]], gold: list[list[Any]], c) -> Score:
    """Indicators matched one to one: same subject, the same quantity (:func:`_quantity`), metrics sharing a bigram.
    A gold row that is no ``[subject, metric, number, unit]`` is a :class:`ValueError` naming it."""
    golds = [(row[0], row[1], *_gold_quantity(k, row)) for k, row in enumerate(gold, 1)]
    used: set[int] = set()
    tp = 0
    for subj, metric, value, unit in pred:
        pv, pu = _quantity(value, unit)
        for gi, (gs, gm, gv, gu) in enumerate(golds):
            if gi in used or c(subj) != c(gs) or pu != gu:
                continue
            if abs(pv - gv) <= 1e-9 * max(1.0, abs(gv)) and _shares_bigram(metric, str(gm)):
                used.add(gi)
                tp += 1
                break
    return Score(tp, len(pred), len(gold))


def _gold_quantity(k: int, row: Any) -> tuple[float, str]:
    """The quantity of ``row``, the ``k``-th gold indicator ``[subject, metric, value, unit]``."""
    if not isinstance(row, (list, tuple)) or len(row) != 4:
        raise ValueError(f"gold indicator {k} {row!r} is not [subject, metric, value, unit]")
    try:
        return _quantity(row[2], row[3])
    except (TypeError, ValueError):
        raise ValueError(f"gold indicator {k} {list(row)!r}: {row[2]!r} is not a number") from None


def from_extraction(ex) -> Predicted:
    """The organizations, memberships and relations of a :class:`kg.extract.Extraction`."""
    p = Predicted()
    for e in ex.orgs:
        p.orgs.append((e.name, list(e.aliases.values()) + list(e.known.aliases if e.known else ())))
        p.org_types.append(e.type)
        p.org_confidence.append(e.confidence)
    for st in ex.statements:
        if st.object is None:
            continue
        if st.is_membership:
            p.add_membership(st.subject.name, st.object.name, st.status, st.confidence)
        else:
            p.relations.add((st.subject.name, st.predicate, st.object.name))
    for f in ex.figures:
        p.indicators.append((f.about.name, f.metric, f.value, f.unit))
    return p


def from_facts(facts, org_types: Iterable[str]) -> Predicted:
    """The same, read from loaded facts (:func:`kg.facts.load_facts`): used to check an ingested graph."""
    types = set(org_types)
    ents = facts.entities
    p = Predicted()
    for e in ents.values():
        ts = e["type"] if isinstance(e["type"], list) else [e["type"]]
        if types & set(ts):
            p.orgs.append((e["name"], list(e.get("aliases", []))))
            p.org_types.append(next(t for t in ts if t in types))
    for ff in facts.files:
        for m in ff.memberships:
            p.memberships.add((ents[m["member"]]["name"], ents[m["organization"]]["name"], m["status"]))
        for r in ff.relations:
            if "object" in r:
                p.relations.add((ents[r["subject"]]["name"], r["predicate"], ents[r["object"]]["name"]))
    return p


def read_gold(path) -> dict[str, Any]:
    """A gold annotation file as a dict (see the module docstring)."""
    from pathlib import Path

    import yaml

    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
