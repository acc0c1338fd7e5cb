#!/usr/bin/env python3
"""How far two people agree: a second, independent annotation scored against the gold, as `kg extract` is scored.

The second annotator read GUIDE.md and the article only — never the gold, never the extractor. Their
annotation is scored as if it were the extractor's output (kg/extract/score.py: organizations exact and
alias-aware, memberships, relations, indicators), so the figures sit beside the extractor's on the same
texts: what a second careful reader gets is the ceiling a tool can be expected to reach on this gold.

    python scripts/agreement.py                      # tests/data/extract/real/agreement against real/dev
    python scripts/agreement.py --second DIR --gold DIR --extractor   # the extractor on the same texts too
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_extract import read_article  # noqa: E402

from kg.extract.score import Predicted, Score, from_extraction, read_gold, score, stem_of  # noqa: E402

REAL = ROOT / "tests" / "data" / "extract" / "real"
SHOWN = ("org_alias", "org_exact", "membership", "relation", "indicator")


def as_predicted(gold: dict) -> Predicted:
    """An annotation read as if an extractor had produced it."""
    p = Predicted()
    for o in gold.get("organizations") or []:
        p.orgs.append((o["name"], list(o.get("aliases") or [])))
        p.org_types.append(o.get("type", "Organization"))
    p.memberships = {(m, b, s) for m, b, s in gold.get("memberships") or []}
    p.relations = {(s, r, o) for s, r, o in gold.get("relations") or []}
    p.indicators = [(s, m, float(v), str(u)) for s, m, v, u in gold.get("indicators") or []]
    return p


def _add(total: dict[str, Score], part: dict[str, Score]) -> None:
    for k in SHOWN:
        total[k] = total.get(k, Score(0, 0, 0)) + part.get(k, Score(0, 0, 0))


def _row(label: str, s: dict[str, Score]) -> str:
    return f"{label:<12}" + "  ".join(f"{s[k].precision:5.2f} {s[k].recall:5.2f} {s[k].f1:5.2f}" for k in SHOWN)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--second", type=Path, default=REAL / "agreement", help="the second annotations (*.gold.yaml)")
    ap.add_argument("--gold", type=Path, default=REAL / "dev", help="the gold (*.gold.yaml + *.txt)")
    ap.add_argument("--extractor", action="store_true", help="also score `kg extract` on the same texts")
    args = ap.parse_args(argv)
    pairs = [(p, args.gold / p.name) for p in sorted(args.second.glob("*.gold.yaml"))]
    pairs = [(s, g) for s, g in pairs if g.is_file()]
    if not pairs:
        print(f"no annotation in {args.second} has a gold file in {args.gold}", file=sys.stderr)
        return 1
    human: dict[str, Score] = {}
    tool: dict[str, Score] = {}
    for second, gold_path in pairs:
        gold = read_gold(gold_path)
        _add(human, score(as_predicted(read_gold(second)), gold))
        if args.extractor:
            from kg.extract import extract_text

            text, _ = read_article(gold_path.with_name(stem_of(gold_path) + ".txt"))
            _add(tool, score(from_extraction(extract_text(text, stem_of(gold_path))), gold))
    print(f"{len(pairs)} texts; P R F1 of each kind, the gold as reference")
    print(f"{'':<12}" + "  ".join(f"{k:<17}" for k in SHOWN))
    print(_row("second", human))
    if tool:
        print(_row("extractor", tool))
    return 0


if __name__ == "__main__":
    sys.exit(main())
