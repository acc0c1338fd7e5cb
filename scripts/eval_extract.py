#!/usr/bin/env python3
"""Score `kg extract` against the annotated articles in tests/data/extract/ (*.txt + *.gold.yaml).

Prints, for each text and over all texts, precision / recall / F1 of organizations (exact
name, and alias-aware), memberships and relations (subject, predicate, object), then the
relations per predicate and, with --verbose, what was missed or spurious.

    python scripts/eval_extract.py                 # rules only (no graph names)
    python scripts/eval_extract.py --facts seeds/facts   # with the graph's names
    python scripts/eval_extract.py --exclude 000_12437ccd38f279d8   # unseen texts only
    python scripts/eval_extract.py --dir tests/data/extract/heldout  # the held-out texts only
    python scripts/eval_extract.py --recursive     # every self-written text, held-out ones too
    python scripts/eval_extract.py --dir tests/data/extract/real/dev   # real published articles
    python scripts/eval_extract.py --dir DIR --bootstrap 2000 --counts now.json   # 95 % intervals by text
    python scripts/eval_extract.py --dir DIR --bootstrap 2000 --against before.json  # the change, paired

Real articles (``real/``) start with a front-matter header (url, date, title between two
``---`` lines); it is cut off before extraction. ``--recursive`` never descends into
``real/`` (``real/test`` is scored only when asked for by name, never tuned on).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from kg.extract import KnownEntities, extract_text  # noqa: E402
from kg.extract.resample import METRICS, intervals, paired_intervals  # noqa: E402
from kg.extract.score import (  # noqa: E402
    Score,
    add_bands,
    by_confidence,
    from_extraction,
    in_band_order,
    memberships_by_confidence,
    read_gold,
    score,
    stem_of,
)

KINDS = ("org_exact", "org_alias", "membership", "relation")
SPREAD = ("org_alias", "membership", "indicator")  # the kinds the project's bars are set on
REAL = "real"


def read_article(path: Path) -> tuple[str, dict]:
    """The article text and its front-matter header (empty when it has none)."""
    raw = path.read_text(encoding="utf-8")
    if raw.startswith("---\n"):
        end = raw.find("\n---\n", 4)
        if end > 0:
            return raw[end + 5 :], yaml.safe_load(raw[4:end]) or {}
    return raw, {}


def _row(label: str, s: dict[str, Score]) -> str:
    cells = [f"{s[k].precision:5.2f} {s[k].recall:5.2f} {s[k].f1:5.2f}" for k in KINDS]
    return f"{label:<28}" + "  ".join(cells)


def _positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n} (1000 or more gives stable bounds)")
    return n


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", "--dir", dest="data", type=Path, default=ROOT / "tests" / "data" / "extract",
                    help="the directory of *.txt + *.gold.yaml")
    ap.add_argument("--recursive", "-r", action="store_true", help="also the texts in its subdirectories (heldout/)")
    ap.add_argument("--facts", type=Path, default=None, help="use this facts directory's names (default: rules only)")
    ap.add_argument("--exclude", action="append", default=[], help="leave out this text (stem); repeatable")
    ap.add_argument("--verbose", "-v", action="store_true", help="list missed and spurious items")
    ap.add_argument("--bootstrap", type=_positive, default=0, metavar="N",
                    help="print 95 %% intervals from N resamples of the texts (the text is the unit; N ≥ 1000)")
    ap.add_argument("--counts", type=Path, default=None, metavar="FILE",
                    help="write each text's counts (tp, predicted, gold per kind) as JSON, for a later --against")
    ap.add_argument("--against", type=Path, default=None, metavar="FILE",
                    help="with --bootstrap: the change from the counts in FILE (an earlier --counts), paired by text")
    return ap


def _golds(data: Path, recursive: bool, exclude: list[str]) -> list[Path]:
    """The gold files under ``data`` (``real/`` only when asked for by name), but the stems in ``exclude``."""
    found = data.glob("**/*.gold.yaml" if recursive else "*.gold.yaml")
    in_real = REAL in data.resolve().parts
    found = (p for p in found if in_real or REAL not in p.relative_to(data).parts)
    return sorted((p for p in found if stem_of(p) not in exclude),
                  key=lambda p: (str(p.parent.relative_to(data)), p.name))


Bands = dict[str, dict[str, list[int]]]  # "organizations" / "memberships" -> band -> [right, proposed]
_BANDED = (("organizations", by_confidence), ("memberships", memberships_by_confidence))


def _score_texts(golds: list[Path], known) -> tuple[dict[str, dict[str, Score]], list, Bands]:
    """Each text extracted and scored (its row printed): the scores by stem, what each missed, and the organizations
    and the memberships right and proposed in each band of the extractor's confidence."""
    print(f"{'text':<28}" + "  ".join(f"{k:^17}" for k in KINDS))
    print(f"{'':<28}" + "  ".join(f"{'P':>5} {'R':>5} {'F1':>5}" for _ in KINDS))
    per_text: dict[str, dict[str, Score]] = {}
    details = []
    bands: Bands = {what: {} for what, _ in _BANDED}
    for g in golds:
        stem = stem_of(g)
        text, _header = read_article(g.with_name(f"{stem}.txt"))
        pred = from_extraction(extract_text(text, stem, known=known))
        gold = read_gold(g)
        per_text[stem] = score(pred, gold)
        for what, count in _BANDED:
            add_bands(bands[what], count(pred, gold))
        print(_row(stem[:28], per_text[stem]))
        details.append((stem, pred))
    return per_text, details, bands


def _print_totals(per_text: dict[str, dict[str, Score]]) -> None:
    total: dict[str, Score] = {}
    for s in per_text.values():
        for k, v in s.items():
            total[k] = total.get(k, Score(0, 0, 0)) + v
    print(_row("ALL", {k: total[k] for k in KINDS}))
    print()
    print(f"{'per type':<28}{'P':>5} {'R':>5} {'F1':>5}   tp/pred/gold")
    for k in sorted(total):
        v = total[k]
        print(f"{k:<28}{v.precision:5.2f} {v.recall:5.2f} {v.f1:5.2f}   {v.tp}/{v.n_pred}/{v.n_gold}")


def _print_bands(bands: Bands) -> None:
    """The organizations by the filter's confidence and the memberships by the pair model's (what a reviewer sees in
    the candidates file): how many right in each band; ``none``: what a rule kept."""
    for what, by_band in bands.items():
        print()
        print(f"{what + ' by confidence':<28}{'P':>5}   right/proposed")
        for band in in_band_order(by_band):
            r, n = by_band[band]
            print(f"{band:<28}{r / n if n else 0:5.2f}   {r}/{n}")


def main(argv: list[str] | None = None) -> int:
    ap = _parser()
    args = ap.parse_args(argv)
    before = None
    if args.against:  # read before any text is extracted (and before --counts may rewrite the same file)
        if not args.bootstrap:
            ap.error("--against needs --bootstrap N")
        try:
            before = _read_counts(args.against)
        except (OSError, ValueError, TypeError, AttributeError) as e:
            ap.error(f"--against {args.against}: not the counts an earlier --counts wrote ({e})")
    golds = _golds(args.data, args.recursive, args.exclude)
    if not golds:
        print(f"no *.gold.yaml in {args.data}", file=sys.stderr)
        return 1
    per_text, details, bands = _score_texts(golds, KnownEntities.from_facts(args.facts) if args.facts else None)
    _print_totals(per_text)
    _print_bands(bands)
    if args.counts:
        args.counts.write_text(json.dumps({t: {k: [v.tp, v.n_pred, v.n_gold] for k, v in s.items()}
                                           for t, s in per_text.items()}, ensure_ascii=False, indent=0),
                               encoding="utf-8")
    if args.bootstrap:
        _spread(per_text, args.bootstrap, before)
    if args.verbose:
        for stem, pred in details:
            print(f"\n== {stem}")
            for what, items in pred.missed.items():
                if items:
                    print(f"  {what} ({len(items)}):")
                    for it in items:
                        print(f"    {it}")
    return 0


def _read_counts(path: Path) -> dict[str, dict[str, Score]]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {t: {k: Score(*v) for k, v in s.items()} for t, s in raw.items()}


def _spread(per_text: dict[str, dict[str, Score]], n: int, before: dict[str, dict[str, Score]] | None) -> None:
    """The 95 % interval of each score over ``n`` resamples of the texts, then (with ``before``) of its change."""
    kinds = [k for k in SPREAD if any(k in s for s in per_text.values())]
    print()
    print(f"{f'95 % by text, {n} draws':<28}" + "  ".join(f"{m:^13}" for m in METRICS))
    for k, row in intervals(list(per_text.values()), kinds, n).items():
        print(f"{k:<28}" + "  ".join(f"{lo:5.2f} – {hi:5.2f}" for lo, hi in row.values()))
    if before is None:
        return
    print()
    shared = sorted(set(before) & set(per_text))
    regold = [t for t in shared if any(k in before[t] and before[t][k].n_gold != v.n_gold
                                       for k, v in per_text[t].items())]
    if regold:
        print(f"the gold of {len(regold)} texts changed since the counts were written: {', '.join(regold[:5])}"
              + (" …" if len(regold) > 5 else ""), file=sys.stderr)
    print(f"{f'change on {len(shared)} texts, 95 %':<28}" + "  ".join(f"{m:^22}" for m in METRICS))
    for k, row in paired_intervals(per_text, before, kinds, n).items():
        print(f"{k:<28}" + "  ".join(f"{d:+6.3f} ({lo:+6.3f} {hi:+6.3f})" for d, lo, hi in row.values()))


if __name__ == "__main__":
    sys.exit(main())
