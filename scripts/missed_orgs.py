#!/usr/bin/env python3
"""List the gold organizations of real/dev that no candidate covers: the recall no filter can reach.

Every text is extracted with the gold as the filter (``train_orgs.py --oracle``); a gold organization is
*never proposed* when none of its names or aliases is the name, an alias or a boundary alternative of any
candidate the extraction weighed or kept, and *lost* when one was proposed but the oracle run still missed it
(a rule after the filter, a merge, a link). Each is printed with the sentence it stands in.

    python scripts/missed_orgs.py --hold-out /work/annot/batch12_stems.txt > missed.tsv
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_orgs import DEV, THRESHOLD, Oracle, gold_keys, read_texts  # noqa: E402

from kg.extract import extract_text  # noqa: E402
from kg.extract.learn import add_stem_options, stem_options  # noqa: E402
from kg.extract.orgfilter import using  # noqa: E402
from kg.extract.score import from_extraction, score, stem_of  # noqa: E402
from kg.text import name_key  # noqa: E402


def missed(stem: str, text: str, gold: dict) -> list[tuple[str, str, str, list[str]]]:
    """(status, gold name, first sentence holding it, the candidates holding it or inside it) of each gold
    organization the oracle run missed."""
    oracle = Oracle(THRESHOLD)
    oracle.keys = gold_keys(gold)
    with using(oracle, oracle.record):  # type: ignore[arg-type]
        ex = extract_text(text, stem)
        pred = from_extraction(ex)
        score(pred, gold)
    proposed: set[str] = set()
    for e, _f, alt in oracle.record:
        proposed |= {e.key, *e.aliases} | ({alt} if alt else set())
    for e in ex.entities:
        proposed |= {e.key, *e.aliases}
    out = []
    by_name = {g["name"]: g for g in gold.get("organizations") or []}
    for name in pred.missed["organizations"]:
        g = by_name[name]
        keys = {name_key(n) for n in (g["name"], *g.get("aliases", []))}
        status = "lost" if keys & proposed else "never"
        where = next((ex.doc.text[slice(*s.span(0, len(s.key)))].replace("\n", "⏎") for s in ex.doc.sentences
                      if any(k in s.key for k in keys)), "")
        if not where:  # not inside one sentence's key: the text around where it is written
            at = text.find(name)
            where = "[raw] " + text[max(0, at - 30) : at + len(name) + 30].replace("\n", "⏎") if at >= 0 else "[?]"
        near = sorted({k for k in proposed if any(k in g or g in k for g in keys)}, key=len)[:4]
        out.append((status, name, where, near))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_stem_options(ap)
    args = ap.parse_args(argv)
    try:
        out, left_out = stem_options(args, (stem_of(p) for p in DEV.glob("*.gold.yaml")))
    except (OSError, ValueError) as exc:  # as train_orgs.py: one line, before a text is read
        print(f"error: {exc}", file=sys.stderr)
        return 2
    n_gold = 0
    counts = {"never": 0, "lost": 0}
    for stem, text, gold in read_texts(DEV, leave_out=out | left_out):
        n_gold += len(gold.get("organizations") or [])
        for status, name, where, near in missed(stem, text, gold):
            counts[status] += 1
            print(f"{status}\t{stem}\t{name}\t{'|'.join(near)}\t{where[:160]}")
    print(f"# {n_gold} gold organizations: never proposed {counts['never']}, proposed but lost {counts['lost']}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
