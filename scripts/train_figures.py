#!/usr/bin/env python3
"""Cross-validate the learned figures filter on real/dev, and (``--write``) train it on all of real/dev.

Every figure the rules propose (:func:`kg.extract.figures.find_figures` with ``proposed=True``: the
rules' subject and the other subjects considered) is an example, labelled by the scorer
(kg/extract/score.py: same subject organization, value and unit, metrics sharing two characters in
a row). Five folds by text: the filter is trained on four, the fifth is scored as `kg extract` would
emit it (the rules' figure, kept when the filter accepts it) and, for comparison, with the subject
the filter finds likeliest; precision / recall over all folds by threshold, beside the rules alone.

On the 230 real/dev texts session 8 wrote from (600 gold indicators) the rules alone are right 119 times in 125
(CV = in-sample: they learn nothing); the filter over them, or picking a subject when the rules drop one, never added a
hit at precision >= 0.85, so no model ships (docs/explanation/extraction-rounds.md); ``--write`` writes
kg/extract/models/figures.json, which `kg extract` then applies. The row "rules, subjects named once" also keeps
the figures whose subject the article names once by a name of its own (``figfilter.MIN_NAMED``). Rerun it when
real/dev grows;
``--split`` scores a set of texts (a new batch) and the others apart.

    python scripts/train_figures.py                          # the CV table
    python scripts/train_figures.py --split stems.txt        # … also for the listed texts and the others apart
    python scripts/train_figures.py --threshold 0.2 --write  # train on all of real/dev, write the model
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_extract import read_article  # noqa: E402

from kg.extract import extract_text  # noqa: E402
from kg.extract.document import Document  # noqa: E402
from kg.extract.figfilter import MIN_NAMED, MODEL, choose_without_model, features  # noqa: E402
from kg.extract.figures import Figure, find_figures  # noqa: E402
from kg.extract.learn import MODELS, Model, group_folds, train  # noqa: E402
from kg.extract.orgs import find_entities  # noqa: E402
from kg.extract.relations import find_statements  # noqa: E402
from kg.extract.score import Predicted, Score, from_extraction, read_gold, score, stem_of  # noqa: E402

DEV = ROOT / "tests" / "data" / "extract" / "real" / "dev"
THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6)


@dataclass
class Text:
    stem: str
    gold: dict
    orgs: Predicted  # the extraction's organizations (to map subjects to gold names)
    figures: list[Figure]
    labels: list[bool]


def _indicators(figs: list[Figure]) -> list[tuple[str, str, float, str]]:
    return [(f.about.name, f.metric, f.value, f.unit) for f in figs]


def _score(t: Text, figs: list[Figure]) -> Score:
    p = Predicted(orgs=t.orgs.orgs, indicators=_indicators(figs))
    return score(p, t.gold)["indicator"]


def load_texts(data: Path = DEV) -> list[Text]:
    """The proposed figures of every annotated text with indicators, each labelled hit or miss."""
    out = []
    for g in sorted(data.glob("*.gold.yaml")):
        gold = read_gold(g)
        if "indicators" not in gold:
            continue
        stem = stem_of(g)
        raw, _header = read_article(g.with_name(f"{stem}.txt"))
        orgs = from_extraction(extract_text(raw, stem))
        doc = Document.from_raw(raw)
        found = find_entities(doc, None)
        statements, _extra = find_statements(doc, found, None)
        figs = find_figures(doc, found, statements, proposed=True)
        t = Text(stem, gold, orgs, figs, [])
        t.labels = [_score(t, [f]).tp > 0 for f in figs]
        out.append(t)
    return out


def _groups(t: Text) -> list[list[int]]:
    """The indices of ``t.figures`` by number (one figure, several subjects), the rules' subject first."""
    by: dict[tuple, list[int]] = {}
    for k, f in enumerate(t.figures):
        by.setdefault((f.sent, f.context.num), []).append(k)
    return list(by.values())


def _total(texts: list[Text], pick) -> Score:
    """The scores summed over ``texts`` of the figures ``pick(text, figures of one number)`` keeps (one or None)."""
    total = Score(0, 0, 0)
    for t in texts:
        kept = [pick(t, [t.figures[k] for k in g]) for g in _groups(t)]
        total = total + _score(t, [f for f in kept if f is not None])
    return total


def _rules(t: Text, group: list[Figure], min_named: int = MIN_NAMED) -> Figure | None:
    k = choose_without_model([f.context for f in group], min_named)
    return group[k] if k is not None else None


def _best(prob, threshold):
    def pick(t: Text, group: list[Figure]) -> Figure | None:
        f = max(group, key=lambda f: prob(f))
        return f if prob(f) >= threshold else None
    return pick


def _both(prob, threshold):
    """The rules' choice, kept when the filter accepts it (what `kg extract` does)."""
    def pick(t: Text, group: list[Figure]) -> Figure | None:
        f = _rules(t, group)
        return f if f is not None and prob(f) >= threshold else None
    return pick


def _either(prob, threshold):
    """The rules' choice, or else the subject the filter finds likeliest when it is sure enough."""
    best = _best(prob, threshold)

    def pick(t: Text, group: list[Figure]) -> Figure | None:
        return _rules(t, group) or best(t, group)
    return pick


def cross_validate(texts: list[Text], l2: float, primary: bool) -> list[tuple[str, object]]:
    """The pickers whose summed held-out scores to print, by threshold, five folds by text: the rules' figures
    the filter accepts, the subject the filter finds likeliest (the rejected design), and the rules' figure or
    else the filter's."""
    prob: dict[int, float] = {}
    for kept, held in group_folds([t.stem for t in texts]):
        model = _fit([texts[i] for i in kept], l2, primary=primary)
        for i in held:
            for f in texts[i].figures:
                prob[id(f)] = model.probability(features(f.context))
    rows = [(f"CV rules+filter {th:.2f}", _both(lambda f: prob[id(f)], th)) for th in THRESHOLDS]
    rows += [(f"CV filter alone {th:.2f}", _best(lambda f: prob[id(f)], th)) for th in THRESHOLDS[::2]]
    return rows + [(f"CV rules, else filter {th:.2f}", _either(lambda f: prob[id(f)], th))
                   for th in (0.5, 0.6, 0.7, 0.8)]


def _fit(texts: list[Text], l2: float, threshold: float = 0.5, *, primary: bool = False) -> Model:
    """Weights from the proposed figures of ``texts`` (``primary``: with the rules' subject only)."""
    rows = [(t.figures[k], t.labels[k]) for t in texts for g in _groups(t) for k in (g[:1] if primary else g)]
    return train([features(f.context) for f, _ in rows], [y for _, y in rows], l2=l2, threshold=threshold)


def _line(label: str, s: Score, parts: tuple[Score, ...] = ()) -> str:
    cells = "".join(f"   {p.precision:5.2f} {p.tp}/{p.n_pred}/{p.n_gold}" for p in parts)
    return f"{label:<26}{s.precision:6.2f}{s.recall:6.2f}{s.f1:6.2f}   {s.tp}/{s.n_pred}/{s.n_gold}" + cells


def _rows(texts: list[Text], split: set[str], label: str, pick) -> str:
    """One line of the table: the scores of ``pick`` over ``texts`` and, with ``split``, over the texts
    listed in it and the others."""
    parts = () if not split else tuple(_total([t for t in texts if (t.stem in split) is side], pick)
                                       for side in (False, True))
    return _line(label, _total(texts, pick), parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threshold", type=float, default=0.2, help="the probability a figure needs to be kept")
    ap.add_argument("--l2", type=float, default=0.5, help="L2 regularization of the weights")
    ap.add_argument("--primary", action="store_true", help="train on the rules' subject of each figure only")
    ap.add_argument("--write", action="store_true", help="train on all of real/dev and write the model")
    ap.add_argument("--split", type=Path, default=None,
                    help="a file of text stems (one a line): also score the texts it lists and the others apart")
    args = ap.parse_args(argv)
    texts = load_texts()
    split = set(args.split.read_text(encoding="utf-8").split()) if args.split else set()
    n = sum(len(t.figures) for t in texts)
    print(f"{len(texts)} texts, {n} proposed figures, {sum(sum(t.labels) for t in texts)} hits")
    print(f"{'':<26}{'P':>6}{'R':>6}{'F1':>6}   tp/pred/gold" + ("   others / listed in --split" if split else ""))
    print(_rows(texts, split, "rules (in-sample)", _rules))
    # what the requirement that the article name a subject twice costs and saves
    print(_rows(texts, split, "rules, subjects named once", lambda t, g: _rules(t, g, 1)))
    print(_rows(texts, split, "rules, guesses too", lambda t, g: g[0]))
    for label, pick in cross_validate(texts, args.l2, args.primary):
        print(_rows(texts, split, label, pick))
    if not args.write:
        return 0
    model = _fit(texts, args.l2, args.threshold, primary=args.primary)
    print(_line("in-sample (all dev)", _total(texts, _both(lambda f: model.probability(features(f.context)),
                                                              args.threshold))))
    about = (f"figures filter: logistic regression over kg.extract.figfilter.features, trained on real/dev "
             f"({n} proposed figures) by scripts/train_figures.py --l2 {args.l2} --threshold {args.threshold}"
             + (" --primary" if args.primary else ""))
    model.save(MODELS / f"{MODEL}.json", about=about)
    print(f"wrote {MODELS / f'{MODEL}.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
