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

Real articles (``real/``) start with a front-matter header (url, date, title between two
``---`` lines); it is cut off before extraction. ``--recursive`` never descends into
``real/`` (``real/test`` is scored only when asked for by name, never tuned on).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from kg.extract import KnownEntities, extract_text  # noqa: E402
from kg.extract.score import Score, from_extraction, read_gold, score  # noqa: E402

KINDS = ("org_exact", "org_alias", "membership", "relation")
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", "--dir", dest="data", type=Path, default=ROOT / "tests" / "data" / "extract",
                    help="the directory of *.txt + *.gold.yaml")
    ap.add_argument("--recursive", "-r", action="store_true", help="also the texts in its subdirectories (heldout/)")
    ap.add_argument("--facts", type=Path, default=None, help="use this facts directory's names (default: rules only)")
    ap.add_argument("--exclude", action="append", default=[], help="leave out this text (stem); repeatable")
    ap.add_argument("--verbose", "-v", action="store_true", help="list missed and spurious items")
    args = ap.parse_args(argv)
    known = KnownEntities.from_facts(args.facts) if args.facts else None
    found = args.data.glob("**/*.gold.yaml" if args.recursive else "*.gold.yaml")
    in_real = REAL in args.data.resolve().parts
    found = (p for p in found if in_real or REAL not in p.relative_to(args.data).parts)
    golds = sorted((p for p in found if p.name[: -len(".gold.yaml")] not in args.exclude),
                   key=lambda p: (str(p.parent.relative_to(args.data)), p.name))
    if not golds:
        print(f"no *.gold.yaml in {args.data}", file=sys.stderr)
        return 1
    header = f"{'text':<28}" + "  ".join(f"{k:^17}" for k in KINDS)
    print(header)
    print(f"{'':<28}" + "  ".join(f"{'P':>5} {'R':>5} {'F1':>5}" for _ in KINDS))
    total: dict[str, Score] = {}
    details = []
    for g in golds:
        stem = g.name[: -len(".gold.yaml")]
        text, _header = read_article(g.with_name(f"{stem}.txt"))
        ex = extract_text(text, stem, known=known)
        pred = from_extraction(ex)
        s = score(pred, read_gold(g))
        for k, v in s.items():
            total[k] = total.get(k, Score(0, 0, 0)) + v
        print(_row(stem[:28], s))
        details.append((stem, pred))
    print(_row("ALL", {k: total[k] for k in KINDS}))
    print()
    print(f"{'per type':<28}{'P':>5} {'R':>5} {'F1':>5}   tp/pred/gold")
    for k in sorted(total):
        v = total[k]
        print(f"{k:<28}{v.precision:5.2f} {v.recall:5.2f} {v.f1:5.2f}   {v.tp}/{v.n_pred}/{v.n_gold}")
    if args.verbose:
        for stem, pred in details:
            print(f"\n== {stem}")
            for what, items in pred.missed.items():
                if items:
                    print(f"  {what} ({len(items)}):")
                    for it in items:
                        print(f"    {it}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
