"""Benchmark `kg extract` on large articles: time, throughput and peak memory by size.

    python scripts/bench_extract.py                     # 0.1, 1 and 5 MB, the 300 KB line, the lists
    python scripts/bench_extract.py --sizes 5 --keep /tmp/big.txt
    python scripts/bench_extract.py --sizes 1 --line 0 --items 0 --respective 0   # only the 1 MB article

The article is the annotated texts of tests/data/extract/ (all rounds but ``real/``, which
stays unseen) joined and repeated until it has the size asked for, each repetition numbering
its sentences (…（3）。), so no sentence repeats and jieba's per-sentence cache cannot help.
Three inputs hold the worst cases: the same text as one line with no punctuation or space
(one sentence of 300 KB), one sentence listing 1,500 companies, and one sentence pairing 800
companies with 800 alliances by 分别 (A、B、…分别加入X、Y、…). Each input runs in a
fresh process — the real ``kg extract ARTICLE -o candidates.yaml`` command, with the graph's
names — so the figures include reading, decoding, writing the candidates YAML and the peak
resident memory.

Not a test: figures depend on the machine. On a shared machine the CPU seconds (the child's user and
system time) say more than the wall seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "extract"


def _texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("**/*.txt"))
            if "real" not in p.relative_to(DATA).parts[:-1]]


def article(n_bytes: int) -> str:
    """An article of about ``n_bytes`` UTF-8 bytes with no repeated sentence."""
    texts = _texts()
    blob = "\n\n".join(texts)
    parts: list[str] = []
    size = 0
    while size < n_bytes:
        part = blob.replace("。", f"（{len(parts)}）。")
        parts.append(part)
        size += len(part.encode("utf-8"))
    return "\n\n".join(parts).encode("utf-8")[:n_bytes].decode("utf-8", "ignore")


def flat_line(n_bytes: int) -> str:
    """About ``n_bytes`` of the annotated texts as one line: no punctuation, no space, no line break."""
    text = article(n_bytes * 2)
    flat = "".join(c for c in text if c.isalnum())
    return flat.encode("utf-8")[:n_bytes].decode("utf-8", "ignore")


_PLACES = "宁夏 青海 甘肃 陕西 四川 云南 贵州 广西 湖南 湖北 江西 安徽 浙江 江苏 山东 河南 河北 山西 辽宁 吉林".split()
_NAME_CHARS = "华瑞丰恒信泰嘉宏润成科禾康盛源聚海晶安宇融利蓝星金鑫锦瀚峰豪骏琪晟昊翔凯"  # names the rules read whole
_TRADES = "新材料科技 智能装备 生物医药 电子信息 新能源 环保科技 化工 精密机械 数据科技 食品".split()


def _companies(n_items: int) -> list[str]:
    """``n_items`` distinct company names."""
    names = []
    for n in range(n_items):
        a, b = divmod(n, len(_NAME_CHARS))
        c, d = divmod(a, len(_NAME_CHARS))
        second = (d + b + 7) % len(_NAME_CHARS)
        first = _NAME_CHARS[b] + _NAME_CHARS[second if second != b else (b + 1) % len(_NAME_CHARS)]
        names.append(f"{_PLACES[n % len(_PLACES)]}{first}{_TRADES[(n // 3 + c) % len(_TRADES)]}有限公司")
    return names


def company_list(n_items: int) -> str:
    """One sentence naming ``n_items`` distinct companies in a list: A、B、…等N家企业加入Y。"""
    return f"近日，{'、'.join(_companies(n_items))}等{n_items}家企业正式加入园区产业链党建联盟。\n"


def respective_list(n_items: int) -> str:
    """One sentence pairing ``n_items`` companies with as many alliances by 分别: A、B、…分别加入X、Y、…。"""
    names = _companies(n_items)
    bodies = [name.removesuffix("有限公司") + "产业联盟" for name in names]
    return f"近日，{'、'.join(names)}分别加入{'、'.join(bodies)}。\n"


def run(path: Path) -> dict:
    """Time `kg extract path -o …` in a child process; its own peak memory from the kernel's accounting (wait4)."""
    out = path.with_suffix(".yaml")
    err = path.with_suffix(".err")
    t0 = time.perf_counter()
    with err.open("w") as stderr:
        child = subprocess.Popen([sys.executable, "-m", "kg.cli", "extract", str(path), "-o", str(out)],
                                 stdout=subprocess.DEVNULL, stderr=stderr, cwd=ROOT,
                                 env={**os.environ, "PYTHONPATH": str(ROOT)})
        _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"kg extract failed ({os.waitstatus_to_exitcode(status)}): {err.read_text().strip()}")
    text = path.read_text(encoding="utf-8")
    cpu = usage.ru_utime + usage.ru_stime
    return {"bytes": path.stat().st_size, "chars": len(text), "seconds": seconds, "cpu": cpu,
            "peak_mb": usage.ru_maxrss / 1024, "yaml_kb": out.stat().st_size / 1024}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="*", default=[0.1, 1, 5], help="article sizes in MB (10^6 bytes)")
    ap.add_argument("--line", type=float, default=300, help="KB of the line with no punctuation (0: none)")
    ap.add_argument("--items", type=int, nargs="*", default=[1500, 6000],
                    help="companies in each one-sentence list (none: no list; 6,000 shows the growth past 1,500)")
    ap.add_argument("--respective", type=int, default=800,
                    help="companies paired with as many alliances by 分别 in one sentence (0: none)")
    ap.add_argument("--keep", type=Path, help="write the largest article here")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = ap.parse_args(argv)
    inputs = [(f"{mb:g} MB article", f"article-{mb:g}MB.txt", lambda mb=mb: article(int(mb * 1e6)))
              for mb in sorted(args.sizes)]
    if args.line:
        inputs.append((f"{args.line:g} KB line", "line.txt", lambda: flat_line(int(args.line * 1e3))))
    inputs += [(f"{n:,}-item list", f"list-{n}.txt", lambda n=n: company_list(n)) for n in args.items if n]
    if args.respective:
        inputs.append((f"{args.respective:,} 分别 pairs", "respective.txt", lambda: respective_list(args.respective)))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, name, make in inputs:
            path = Path(tmp) / name
            path.write_text(make(), encoding="utf-8")
            if args.keep and args.sizes and name == f"article-{max(args.sizes):g}MB.txt":
                args.keep.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
            rows.append({"input": label, **run(path)})
            print(f"{label} done in {rows[-1]['seconds']:.1f} s", file=sys.stderr)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(f"{'input':<17} {'MB':>6} {'seconds':>8} {'CPU s':>6} {'chars/s':>8} {'peak MB':>8} {'candidates':>11}")
    for r in rows:
        print(f"{r['input']:<17} {r['bytes'] / 1e6:>6.2f} {r['seconds']:>8.1f} {r['cpu']:>6.1f} "
              f"{r['chars'] / r['seconds']:>8.0f} {r['peak_mb']:>8.0f} {r['yaml_kb']:>8.0f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
