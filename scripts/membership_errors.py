#!/usr/bin/env python3
"""List why each membership the extractor proposes on real/dev is right or wrong, and why each gold one is missed.

Every text of ``real/dev`` (or only the stems a file lists: ``--stems``) is extracted as ``kg extract`` does, and
every membership is scored as ``eval_extract.py`` scores it (:func:`kg.extract.score.membership_verdicts`). Each
line says who decided the pair — ``rule`` (no confidence: a wording rule or a list's floor) or ``model`` (the pair
model alone) — and the verdict; each gold membership not proposed says whether the organization pass missed a
name. A summary of the counts goes to stderr. It reads ``real/dev`` only: nobody looks at what the extractor
misses on ``real/test``.

    python scripts/membership_errors.py --stems moved.txt > verdicts.tsv
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract import extract_text  # noqa: E402
from kg.extract.learn import read_stems  # noqa: E402
from kg.extract.score import from_extraction, membership_verdicts, read_gold, stem_of  # noqa: E402

DEV = ROOT / "tests" / "data" / "extract" / "real" / "dev"


def verdicts(stem: str, text: str, gold: dict) -> list[tuple[str, ...]]:
    """(who, verdict, member, body, status) of each membership proposed on ``text`` and each gold one missed
    (who: ``missed``)."""
    proposed, missed = membership_verdicts(from_extraction(extract_text(text, stem)), gold)
    return ([("rule" if conf is None else "model", verdict, m, o, s) for m, o, s, conf, verdict in proposed]
            + [("missed", why, m, o, s) for m, o, s, why in missed])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stems", type=Path, default=None, metavar="FILE",
                    help="only the dev stems listed in FILE (one a line)")
    args = ap.parse_args(argv)
    golds = {stem_of(p): p for p in sorted(DEV.glob("*.gold.yaml"))}
    try:
        only = read_stems(args.stems, golds)
    except (OSError, ValueError) as exc:  # as the training scripts: one line, before a text is read
        print(f"error: {exc}", file=sys.stderr)
        return 2
    counts: Counter[tuple[str, str]] = Counter()
    for stem, path in golds.items():
        if only and stem not in only:
            continue
        text = (DEV / f"{stem}.txt").read_text(encoding="utf-8")
        for row in verdicts(stem, text, read_gold(path)):
            counts[row[0], row[1]] += 1
            print("\t".join((stem, *row)))
    for (who, verdict), n in sorted(counts.items()):
        print(f"# {who:6} {verdict:18} {n}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
