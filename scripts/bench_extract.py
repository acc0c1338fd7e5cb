"""Benchmark `kg extract` on large articles: time, throughput and peak memory by size.

    python scripts/bench_extract.py                     # 0.1, 1 and 5 MB
    python scripts/bench_extract.py --sizes 5 --keep /tmp/big.txt

The article is the annotated texts of tests/data/extract/ (all rounds) joined and repeated
until it has the size asked for, each repetition numbering its sentences (…（3）。), so no
sentence repeats and jieba's per-sentence cache cannot help. Each size runs in a fresh
process — the real ``kg extract ARTICLE -o candidates.yaml`` command, with the graph's names —
so the figures include reading, decoding, writing the candidates YAML and the peak resident memory.

Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "extract"


def article(n_bytes: int) -> str:
    """An article of about ``n_bytes`` UTF-8 bytes with no repeated sentence."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("**/*.txt"))]
    blob = "\n\n".join(texts)
    parts: list[str] = []
    size = 0
    while size < n_bytes:
        part = blob.replace("。", f"（{len(parts)}）。")
        parts.append(part)
        size += len(part.encode("utf-8"))
    return "\n\n".join(parts).encode("utf-8")[:n_bytes].decode("utf-8", "ignore")


def run(path: Path) -> dict:
    """Time `kg extract path -o …` in a child process; its peak memory from the kernel's accounting."""
    out = path.with_suffix(".yaml")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "kg.cli", "extract", str(path), "-o", str(out)], capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    seconds = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"kg extract failed ({r.returncode}): {r.stderr.strip()}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"bytes": path.stat().st_size, "seconds": seconds, "peak_mb": max(peak, before) / 1024, "yaml_kb": out.stat().st_size / 1024, "stderr": r.stderr.strip().splitlines()[-1:] }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[0.1, 1, 5], help="article sizes in MB (10^6 bytes)")
    ap.add_argument("--keep", type=Path, help="write the largest article here")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in sorted(args.sizes):
            path = Path(tmp) / f"article-{mb:g}MB.txt"
            path.write_text(article(int(mb * 1e6)), encoding="utf-8")
            if args.keep and mb == max(args.sizes):
                args.keep.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
            rows.append({"mb": mb, **run(path)})
            print(f"{mb:g} MB done in {rows[-1]['seconds']:.1f} s", file=sys.stderr)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    base = rows[0]
    print(f"{'article':>9} {'seconds':>8} {'MB/s':>6} {'× time':>7} {'× size':>7} {'peak MB':>8} {'candidates':>11}")
    for r in rows:
        print(
            f"{r['mb']:>6g} MB {r['seconds']:>8.1f} {r['bytes'] / 1e6 / r['seconds']:>6.2f} {r['seconds'] / base['seconds']:>7.1f} "
            f"{r['bytes'] / base['bytes']:>7.1f} {r['peak_mb']:>8.0f} {r['yaml_kb'] / 1024:>8.1f} MB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
