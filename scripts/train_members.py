#!/usr/bin/env python3
"""Train the membership classifier (kg/extract/models/members.json) on real/dev, after reporting its CV figures.

Every text of ``tests/data/extract/real/dev`` is read once; its candidate pairs
(:mod:`kg.extract.pairs`) are labelled by the gold memberships (member and body matched
alias-aware, status aside); its organizations are found by the organization filter of the folds
that never saw it (``train_orgs.out_of_fold``), as they are on a new article. Five folds by text
(:func:`kg.extract.learn.group_folds`): train on four, score the fifth with
:func:`kg.extract.score.score`, sum over folds. Printed: the
rules alone, the classifier in CV, where the gold memberships the CV misses are lost (member
or body not found, pair not proposed, pair rejected), then the weights trained on all texts
are written.

    python scripts/train_members.py            # report CV and write the model
    python scripts/train_members.py --dry-run  # report only
    python scripts/train_members.py --dry-run --deals 4  # … and the mean of the CV over 4 ways to deal the folds
    python scripts/train_members.py --learning-curve 52 104 156 208  # 100 texts scored by models trained on N others
    python scripts/train_members.py --dry-run --hold-out stems.txt  # CV on the texts not listed, then
        # the listed texts scored once by a model trained on all the others (totals only: never read their errors)
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from collections.abc import Collection
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_extract import read_article  # noqa: E402
from train_orgs import out_of_fold  # noqa: E402
from train_orgs import read_texts as org_texts  # noqa: E402

from kg.extract.clause import PLACES  # noqa: E402
from kg.extract.document import Document  # noqa: E402
from kg.extract.entities import Ent, Found, Mention  # noqa: E402
from kg.extract.learn import MODELS, Model, add_stem_options, group_folds, stem_options, train  # noqa: E402
from kg.extract.matcher import Matcher  # noqa: E402
from kg.extract.orgfilter import using  # noqa: E402
from kg.extract.orgs import find_entities  # noqa: E402
from kg.extract.pairs import Pair, Pairs, choose  # noqa: E402
from kg.extract.relations import find_statements  # noqa: E402
from kg.extract.score import (  # noqa: E402
    Predicted,
    Score,
    add_bands,
    in_band_order,
    memberships_by_confidence,
    read_gold,
    score,
    stem_of,
)
from kg.text import match_key, name_key  # noqa: E402

DEV = ROOT / "tests" / "data" / "extract" / "real" / "dev"
L2 = 10.0  # CV by text on 188 texts: 6–20 within ±0.005 F1, 3 lower by 0.01; 10 keeps the self-written texts
_STATUS = {"memberOf": "active", "plannedMemberOf": "planned", "formerMemberOf": "ended"}


@dataclass
class Kept:
    """What the CV kept, per text stem: the pairs (member, body keys), those of them whose status differs from the
    gold's, and the gold memberships the scorer counted as missed (member, status, body); and over all texts, the
    memberships right and proposed in each band of the model's confidence
    (:func:`kg.extract.score.memberships_by_confidence`)."""

    pairs: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    other_status: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    missed: dict[str, set[tuple[str, str, str]]] = field(default_factory=dict)
    bands: dict[str, list[int]] = field(default_factory=dict)


class Text:
    """One annotated article: its organizations, candidate pairs with labels, and its gold."""

    def __init__(self, gold_path: Path, drop: tuple[str, ...] = ("rule",), oracle: bool = False,
                 org_filter: Model | None = None):
        """Read the text and its gold; the features starting with one of ``drop`` are left out (the rules' verdict);
        ``oracle``: the organizations are the gold's, not the finder's (:func:`oracle_found`); ``org_filter``: the
        organization filter to find them with (None: the shipped one)."""
        self.stem = stem_of(gold_path)
        self.gold = read_gold(gold_path)
        text, _ = read_article(gold_path.with_name(self.stem + ".txt"))
        doc = Document.from_raw(text)
        with using(org_filter) if org_filter is not None else nullcontext():
            found = oracle_found(doc, self.gold) if oracle else find_entities(doc, None)
        collected = Pairs()
        find_statements(doc, found, None, pairs=collected)
        self.orgs = [e for e in found.ents if e.is_org]
        self.pairs: list[Pair] = list(collected.by_key.values())
        collected.decide(None)  # adds the article-level features
        self.canon = self._canon()
        gold_pairs = {(self.gkey(m), self.gkey(b)) for m, b, _ in self.gold.get("memberships") or []}
        for p in self.pairs:
            p.features = {k: v for k, v in p.features.items() if not k.startswith(drop)}
        self.labels = [(self.ekey(p.member), self.ekey(p.body)) in gold_pairs for p in self.pairs]

    def _canon(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for g in self.gold.get("organizations") or []:
            for n in (g["name"], *g.get("aliases", [])):
                out.setdefault(name_key(n), name_key(g["name"]))
        return out

    def gkey(self, name: str) -> str:
        return self.canon.get(name_key(name), name_key(name))

    def ekey(self, e) -> str:
        for n in (e.name, *e.aliases.values()):
            if name_key(n) in self.canon:
                return self.canon[name_key(n)]
        return name_key(e.name)

    def predicted(self, kept: list[Pair]) -> Predicted:
        p = Predicted()
        for e in self.orgs:
            p.orgs.append((e.name, list(e.aliases.values())))
            p.org_types.append(e.type)
        for x in kept:  # as kg extract states them (kg.extract.pairs.Pairs.statements), with the model's confidence
            for status in {r.status for r in x.rules} or {x.status}:
                p.add_membership(x.member.name, x.body.name, status, x.confidence)
        return p

    def score(self, kept: list[Pair]) -> Score:
        return score(self.predicted(kept), self.gold)["membership"]

    def score_missed(self, kept: list[Pair]) -> tuple[Score, list[tuple[str, str, str]]]:
        """The score and the gold memberships missed, as the scorer names them (gold names, predicate)."""
        pred = self.predicted(kept)
        return score(pred, self.gold)["membership"], pred.missed["memberships"]


def oracle_found(doc: Document, gold: dict) -> Found:
    """The gold organizations as if the finder had found them all and nothing else: each name and alias where it is
    written (leftmost-longest, as the known names are matched), the park named most often as the home park."""
    ents, patterns = [], {}
    for g in gold.get("organizations") or []:
        e = Ent(g["name"], g.get("type") or "Organization", "oracle")
        e.aliases = {name_key(a): a for a in g.get("aliases", []) if name_key(a) != e.key}
        ents.append(e)
        for n in (g["name"], *g.get("aliases", [])):
            if match_key(n):
                patterns.setdefault(match_key(n), e)
    matcher = Matcher(patterns) if patterns else None
    by_sentence: dict[int, list[Mention]] = {}
    for s in doc.sentences if matcher else ():
        for i, j, e in matcher.longest(s.key):
            m = Mention(s.index, i, j, e, "oracle")
            e.mentions.append(m)
            by_sentence.setdefault(s.index, []).append(m)
    parks = [e for e in ents if e.type in PLACES and e.mentions]
    home = max(parks, key=lambda e: len(e.mentions)) if parks else None
    return Found([e for e in ents if e.mentions], by_sentence, home, [])


def keep(pairs: list[Pair], model: Model, floor: float | None = None) -> list[Pair]:
    """What the extractor keeps (:func:`kg.extract.pairs.choose`; ``floor``: the least probability of a rules' pair)."""
    return choose(pairs, model, rule_floor=floor)


def cross_validate(texts: list[Text], l2: float, threshold: float, floor: float | None = None,
                   verbose: bool = False, deal: int = 0) -> tuple[Score, Kept]:
    """Membership score summed over the held-out folds, and what was kept per text (``deal`` > 0: the texts dealt
    to the folds in another order, the same for every run with that number)."""
    folds = group_folds([_dealt(t.stem, deal) for t in texts])
    total, kept_by = Score(0, 0, 0), Kept()
    for train_idx, held_idx in folds:
        xs = [p.features for i in train_idx for p in texts[i].pairs]
        ys = [lab for i in train_idx for lab in texts[i].labels]
        model = train(xs, ys, l2=l2, threshold=threshold)
        for i in held_idx:
            kept = keep(texts[i].pairs, model, floor)
            if verbose:
                t = texts[i]
                for p, lab in zip(t.pairs, t.labels):
                    if lab != (p in kept):
                        print("  FN" if lab else "  FP", t.stem[:20], p.member.name, "->", p.body.name,
                              f"{model.probability(p.features):.2f}", p.status, sorted(p.features))
            t = texts[i]
            kept_by.pairs[t.stem] = {(t.ekey(p.member), t.ekey(p.body)) for p in kept}
            gold = {(t.gkey(m), t.gkey(b)): s for m, b, s in t.gold.get("memberships") or []}
            kept_by.other_status[t.stem] = {k for p in kept if (k := (t.ekey(p.member), t.ekey(p.body))) in gold
                                            and gold[k] not in ({r.status for r in p.rules} or {p.status})}
            s, missed = t.score_missed(kept)
            add_bands(kept_by.bands, memberships_by_confidence(t.predicted(kept), t.gold))
            kept_by.missed[t.stem] = {(name_key(m), _STATUS.get(pred, pred), name_key(b)) for m, pred, b in missed}
            total = total + s
    return total, kept_by


def learning_curve(texts: list[Text], sizes: list[int], l2: float, threshold: float, held: int = 100,
                   seeds: tuple[int, ...] = (10, 11, 12)) -> list[tuple[int, Score]]:
    """Whether more annotated text would move the pair model: for each seed, ``held`` texts (a seeded draw) scored by
    models trained on the first ``sizes`` of the others; the scores summed over the seeds, as (texts trained on,
    score; at most half the texts are held). The organizations of every text stay those found as on new text: only
    the pair model's training grows."""
    import random

    held = min(held, len(texts) // 2)
    out = []
    for n in sizes:
        total = Score(0, 0, 0)
        for seed in seeds:
            order = sorted(texts, key=lambda t: t.stem)
            random.Random(seed).shuffle(order)
            test, train_on = order[:held], order[held : held + n]
            model = train([p.features for t in train_on for p in t.pairs],
                          [lab for t in train_on for lab in t.labels], l2=l2, threshold=threshold)
            total = sum((t.score(keep(t.pairs, model)) for t in test), total)
        out.append((min(n, len(texts) - held), total))
    return out


def _dealt(stem: str, deal: int) -> str:
    """The name a text is dealt to its fold by: its stem (deal 0), or a hash of it salted with ``deal``."""
    return stem if deal == 0 else hashlib.sha1(f"{deal}:{stem}".encode()).hexdigest()


def losses(texts: list[Text], kept_by: Kept, verbose: bool = False) -> Counter:
    """Why each gold membership is missed: member/body not found, pair not proposed, pair rejected."""
    why: Counter = Counter()
    for t in texts:
        found = {t.ekey(e) for e in t.orgs}
        proposed = {(t.ekey(p.member), t.ekey(p.body)) for p in t.pairs}
        missed = kept_by.missed.get(t.stem, set())
        for m, b, status in t.gold.get("memberships") or []:
            pair = (t.gkey(m), t.gkey(b))
            if pair in kept_by.pairs.get(t.stem, ()):
                # kept, but scored a miss: another status, or the scorer matched the member's or the body's name to
                # another organization (a duplicate or a bad boundary: 讯X联盟 beside X联盟)
                lost = (name_key(m), status, name_key(b)) in missed
                kind = ("kept" if not lost else "kept, other status" if pair in kept_by.other_status.get(t.stem, ())
                        else "kept, other name")
                why[kind] += 1
                if verbose and kind == "kept, other name":
                    print("  other name", t.stem[:20], m, "->", b)
            elif pair[0] not in found or pair[1] not in found:
                why["member missing" if pair[0] not in found else "body missing"] += 1
                if verbose:
                    print("  missing entity", t.stem[:20], m, "->", b)
            elif pair not in proposed:
                why["not proposed"] += 1
                if verbose:
                    print("  not proposed", t.stem[:20], m, "->", b)
            else:
                why["rejected"] += 1
                if verbose:
                    print("  rejected", t.stem[:20], m, "->", b)
    return why


def load(folder: Path, drop: tuple[str, ...] = ("rule",), held: Collection[str] = (), left_out: Collection[str] = (),
         oracle: bool = False, in_sample: bool = False) -> tuple[list[Text], list[Text]]:
    """The annotated texts of ``folder`` but those ``left_out`` (never read): the others, and those ``held``. Each
    text's organizations are found as on new text — by the filter of the folds that never saw it
    (:func:`train_orgs.out_of_fold`), a held text's by the filter of all the others — so that the pair model learns
    how far to trust a name from what the filter says of names it did not learn; ``in_sample``: by the shipped
    filter (trained on them all, as before session 12); ``oracle``: the gold's (:func:`oracle_found`)."""
    golds = [(stem_of(p), p) for p in sorted(folder.glob("*.gold.yaml")) if stem_of(p) not in left_out]
    filters: dict[str, Model] = {}
    if not (oracle or in_sample):
        dev = org_texts(folder, leave_out=left_out)
        filters = out_of_fold([t for t in dev if t[0] not in held], [t for t in dev if t[0] in held])
    texts = [(stem, Text(p, drop, oracle, filters.get(stem))) for stem, p in golds]
    return [t for stem, t in texts if stem not in held], [t for stem, t in texts if stem in held]


def _read(folder: Path, drop: tuple[str, ...], args) -> tuple[list[Text], list[Text]]:
    """:func:`load` with the texts ``--hold-out`` and ``--exclude-file`` name. ValueError naming the stems of a file
    that are not among the texts (a typo would hold nothing out)."""
    held, left_out = stem_options(args, (stem_of(p) for p in folder.glob("*.gold.yaml")))
    return load(folder, drop, held, left_out, args.oracle_orgs, args.in_sample_orgs)


def print_bands(bands: dict[str, list[int]]) -> None:
    """The memberships the CV kept by the model's confidence (none: a rule or the list floor kept them)."""
    for band in in_band_order(bands):
        r, n = bands[band]
        print(f"  {'confidence ' + band:<32} P {r / n if n else 0:.3f}   ({r}/{n})")


def line(label: str, s: Score) -> str:
    return f"{label:<34} P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}   ({s.tp}/{s.n_pred}/{s.n_gold})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", type=Path, default=DEV)
    ap.add_argument("--l2", type=float, default=L2, help=f"L2 penalty (default {L2})")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--rule-feature", action="store_true",
                    help="ablation: give the model the rules' verdict as a feature (the shipped model has not)")
    ap.add_argument("--model-only", action="store_true",
                    help="ablation: score the model's pairs alone, not joined with the rules' pairs")
    ap.add_argument("--rule-floor", type=float, default=None,
                    help="ablation: keep a rules' pair the model gives at least this (default: pairs.RULE_FLOOR)")
    ap.add_argument("--verbose", "-v", action="store_true", help="list the pairs the CV gets wrong")
    ap.add_argument("--drop", action="append", default=[], help="leave out the features with this prefix")
    ap.add_argument("--dry-run", action="store_true", help="report the CV figures, write nothing")
    ap.add_argument("--oracle-orgs", action="store_true",
                    help="ceiling: the gold organizations (names and aliases where written) instead of the finder's")
    ap.add_argument("--in-sample-orgs", action="store_true",
                    help="ablation: find each text's organizations with the shipped filter, which was trained on it "
                         "(default: the filter of the folds that never saw it, as on new text)")
    add_stem_options(ap)
    ap.add_argument("--learning-curve", type=int, nargs="+", metavar="N",
                    help="only the learning curve: 100 dev texts (three seeded draws) scored by pair models trained on "
                         "N of the others")
    ap.add_argument("--deals", type=int, default=1,
                    help="also run the CV with the texts dealt to the folds in N-1 other orders and print the mean "
                         "(one text can move F1 by 0.02 by the fold it falls in)")
    args = ap.parse_args(argv)
    ablation = (args.oracle_orgs or args.in_sample_orgs or args.rule_feature or args.model_only or args.drop
                or args.rule_floor is not None)
    drop = tuple(args.drop) + (() if args.rule_feature else ("rule",))
    try:
        texts, held = _read(args.dir, drop, args)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.learning_curve:
        for n, s in learning_curve(texts, args.learning_curve, args.l2, args.threshold):
            print(line(f"trained on {n} texts", s))
        return 0
    floor = args.threshold if args.model_only else args.rule_floor
    n_pos = sum(sum(t.labels) for t in texts)
    print(f"{len(texts)} texts, {sum(len(t.pairs) for t in texts)} candidate pairs, {n_pos} true")
    rules = sum((t.score([p for p in t.pairs if p.rule is not None]) for t in texts), Score(0, 0, 0))
    print(line("rules alone (no training)", rules))
    cv, kept_by = cross_validate(texts, args.l2, args.threshold, floor, args.verbose)
    print(line("classifier, 5-fold CV by text", cv))
    print("gold memberships in CV:", dict(losses(texts, kept_by, args.verbose)))
    print_bands(kept_by.bands)
    if args.deals > 1:
        runs = [cv] + [cross_validate(texts, args.l2, args.threshold, floor, deal=d)[0] for d in range(1, args.deals)]
        for d, s in enumerate(runs[1:], 1):
            print(line(f"  dealt in order {d}", s))
        n = len(runs)
        print(f"{'mean of ' + str(n) + ' deals':<34} P {sum(s.precision for s in runs) / n:.3f}  "
              f"R {sum(s.recall for s in runs) / n:.3f}  F1 {sum(s.f1 for s in runs) / n:.3f}")
    model = train([p.features for t in texts for p in t.pairs], [lab for t in texts for lab in t.labels],
                  l2=args.l2, threshold=args.threshold)
    alls = sum((t.score(keep(t.pairs, model, floor)) for t in texts), Score(0, 0, 0))
    print(line("classifier, in-sample (all dev)", alls))
    if held:  # totals only: a hold-out's errors are never read
        print(line(f"rules alone, {len(held)} held-out texts",
                   sum((t.score([p for p in t.pairs if p.rule is not None]) for t in held), Score(0, 0, 0))))
        print(line(f"classifier, {len(held)} held-out texts",
                   sum((t.score(keep(t.pairs, model, floor)) for t in held), Score(0, 0, 0))))
    if not args.dry_run and not ablation and not args.hold_out and not args.exclude_file:  # a model of all, or none
        about = (f"membership pairs (kg.extract.pairs) trained by scripts/train_members.py on {len(texts)} real/dev "
                 f"texts, l2={args.l2}; 5-fold CV by text P {cv.precision:.3f} R {cv.recall:.3f} F1 {cv.f1:.3f}")
        Model(model.weights, model.threshold).save(MODELS / "members.json", about=about)
        print(f"wrote {MODELS / 'members.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
