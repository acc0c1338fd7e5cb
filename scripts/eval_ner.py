#!/usr/bin/env python3
"""Score the NER model alone (kg.extract.ner) as an organization extractor on annotated articles.

Predictions per article: the distinct names of its ``org`` and ``company`` spans, and of its
``location`` spans that end in a park word (园区, 开发区 …; ``wide``: a longer list), passed
through the boundary filters being compared (``clean``: edge punctuation and a leading verb
or preposition stripped; ``min3``: at least 3 characters; ``merge``: a name whose characters
occur in order in a longer predicted name becomes that name's alias); scored like
scripts/eval_extract.py (kg.extract.score: exact names, and alias-aware). Prints P / R / F1 per
directory and filter set, over all directories, and with --verbose what was missed or spurious.

    python scripts/eval_ner.py                       # the self-written sets and real/dev
    python scripts/eval_ner.py --dir path/to/real/dev --verbose

It refuses to read a held-out test set (a path with real/test in it).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract.ner import Span, entities_many  # noqa: E402
from kg.extract.score import Predicted, Score, read_gold, score, stem_of  # noqa: E402
from kg.text import name_key  # noqa: E402

DATA = ROOT / "tests" / "data" / "extract"
SETS = ["round5", "round6", "round7", "round8", "round9", "round10", "dev", "dev7"]
# Location spans kept as organizations when they end in one of these (traditional forms too).
PARKS_NARROW = ("园区", "園區", "开发区", "開發區", "高新区", "高新區", "产业园", "產業園")
PARKS_WIDE = PARKS_NARROW + (
    "园", "園", "经开区", "經開區", "新区", "新區", "试验区", "試驗區", "实验区", "實驗區", "保税区", "保稅區",
    "自贸区", "自貿區", "合作区", "合作區", "示范区", "示範區", "软件谷", "軟件谷", "科技城", "科学城", "科學城",
    "孵化中心", "创新中心", "創新中心", "基地", "数码港", "數碼港",
)
# Words the model sometimes takes into an organization's left edge (a verb or preposition before it).
LEADING = re.compile(
    r"^(?:助力|依托|打造|推动|推動|推进|推進|支持|联合|聯合|携手|攜手|组织|組織|牵头|牽頭|加入|成立|引进|引進|"
    r"引导|引導|吸引|服务|服務|围绕|圍繞|通过|通過|根据|根據|协调|協調|指导|指導|对接|對接|邀请|邀請|简称|簡稱|"
    r"与|與|和|及|由|在|对|對|向|为|為|经|經|被|据|據|将|將|把|给|給|同|跟|从|從|于|於|至|到)+"
)
_EDGE_PUNCT = "「」『』“”‘’\"'《》〈〉()（）[]【】,，、。:：;；!！?？·-—…"


def candidates(spans: list[Span], parks: tuple[str, ...]) -> list[str]:
    """Organization names among the spans, in order of mention (no filter)."""
    out = []
    for s in spans:
        if s.label in ("org", "company") or (s.label == "location" and s.text.endswith(parks)):
            out.append(re.sub(r"\s+", "", s.text))
    return out


def clean(name: str) -> str:
    """The name without edge punctuation or a leading verb or preposition the model took in."""
    name = name.strip(_EDGE_PUNCT)
    rest = LEADING.sub("", name)
    return rest if len(rest) >= 2 else name


# A longer name that is a shorter one plus one of these is another organization (园区 → 园区管委会).
SUB_UNITS = ("管委会", "管理委员会", "管委會", "党工委", "黨工委", "党委", "黨委", "党支部", "黨支部", "秘书处",
             "秘書處", "支行", "分行", "分公司", "办公室", "辦公室")


def merge_short_forms(names: list[str]) -> list[tuple[str, list[str]]]:
    """Each name with the shorter names whose characters it contains in order (its short forms),
    unless the longer one is the shorter one's sub-unit (X管委会, X党委 …)."""
    by_len = sorted(dict.fromkeys(names), key=len, reverse=True)
    groups: dict[str, list[str]] = {}
    for n in by_len:
        owner = next((g for g in groups if len(n) < len(g) and _subsequence(n, g)
                      and not (g.startswith(n) and g.endswith(SUB_UNITS))), None)
        if owner is None:
            groups[n] = []
        else:
            groups[owner].append(n)
    return list(groups.items())


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


Step = Callable[[list[Span]], list[tuple[str, list[str]]]]


def _config(parks: tuple[str, ...], do_clean: bool, min_len: int, merge: bool) -> Step:
    def run(spans: list[Span]) -> list[tuple[str, list[str]]]:
        names = candidates(spans, parks)
        if do_clean:
            names = [clean(n) for n in names]
        names = _distinct([n for n in names if len(n) >= min_len])
        return merge_short_forms(names) if merge else [(n, []) for n in names]

    return run


FILTERS: dict[str, Step] = {
    "raw": _config(PARKS_NARROW, False, 1, False),
    "wide": _config(PARKS_WIDE, False, 1, False),
    "wide+clean": _config(PARKS_WIDE, True, 1, False),
    "wide+clean+min3": _config(PARKS_WIDE, True, 3, False),
    "+merge": _config(PARKS_WIDE, True, 3, True),
}


def _distinct(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for n in names:
        k = name_key(n)
        if k and k not in seen:
            seen.add(k)
            out.append(n)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", action="append", type=Path,
                    help="a directory of *.txt + *.gold.yaml (repeatable; default: the self-written sets and real/dev)")
    ap.add_argument("--filters", nargs="+", default=list(FILTERS), choices=list(FILTERS))
    ap.add_argument("--verbose", "-v", action="store_true", help="list missed and spurious names (last filter set)")
    args = ap.parse_args(argv)
    dirs = args.dir or [DATA / s for s in SETS] + [d for d in [DATA / "real" / "dev"] if d.is_dir()]
    for d in dirs:
        if "real/test" in d.resolve().as_posix():
            print(f"{d}: the held-out test set is never read here", file=sys.stderr)
            return 2
    print(f"{'set':<12}{'texts':>6}{'gold':>6}  " + "  ".join(f"{f + ' (P R F1)':<21}" for f in args.filters)
          + "  (alias-aware; exact in brackets)")
    total: dict[str, tuple[Score, Score]] = {}
    details = []
    for d in dirs:
        golds = sorted(d.glob("*.gold.yaml"))
        texts = [g.with_name(stem_of(g) + ".txt").read_text(encoding="utf-8") for g in golds]
        found = entities_many(texts)
        row: dict[str, tuple[Score, Score]] = {}
        n_gold = 0
        for g, spans in zip(golds, found):
            gold = read_gold(g)
            n_gold += len(gold.get("organizations") or [])
            for f in args.filters:
                pred = Predicted(orgs=FILTERS[f](spans))
                s = score(pred, gold)
                a, e = row.get(f, (Score(0, 0, 0), Score(0, 0, 0)))
                row[f] = (a + s["org_alias"], e + s["org_exact"])
                if f == args.filters[-1]:
                    details.append((stem_of(g), pred.missed))
        for f, (a, e) in row.items():
            ta, te = total.get(f, (Score(0, 0, 0), Score(0, 0, 0)))
            total[f] = (ta + a, te + e)
        label = "real/" + d.name if d.parent.name == "real" else d.name
        print(f"{label:<12}{len(golds):>6}{n_gold:>6}  " + "  ".join(_cell(*row[f]) for f in args.filters))
    print(f"{'ALL':<12}{'':>6}{total[args.filters[0]][0].n_gold:>6}  "
          + "  ".join(_cell(*total[f]) for f in args.filters))
    if args.verbose:
        for stem, missed in details:
            print(f"\n== {stem}")
            print("  missed:   " + " | ".join(missed["organizations"]))
            print("  spurious: " + " | ".join(missed["spurious organizations"]))
    return 0


def _cell(alias: Score, exact: Score) -> str:
    return f"{alias.precision:.2f} {alias.recall:.2f} {alias.f1:.2f} [{exact.f1:.2f}]".ljust(21)


if __name__ == "__main__":
    sys.exit(main())
