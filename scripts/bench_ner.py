#!/usr/bin/env python3
"""Throughput of kg.extract.ner: characters per second on 2 KB (model load included) and 1 MB.

Each size runs in a fresh interpreter, so the first row pays for importing numpy, reading
the weights and building the input tables, as `kg extract` on one article would. Text: the
annotated articles under tests/data/extract (never real/), repeated to the size. Wall time
depends on what else the machine runs, so CPU time and the load average are printed too.

    python scripts/bench_ner.py                 # 2 KB and 1 MB
    python scripts/bench_ner.py --sizes 2000 100000 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _text(size: int) -> str:
    data = ROOT / "tests" / "data" / "extract"
    files = sorted(p for p in data.glob("**/*.txt") if "real" not in p.relative_to(data).parts)
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in files)
    return (text * (size // len(text) + 1))[:size]


def _one(size: int) -> dict[str, float]:
    """Run in a child: time entities() on ``size`` characters, the first call loading the model."""
    text = _text(size)
    wall, cpu = time.perf_counter(), time.process_time()
    from kg.extract.ner import entities

    spans = entities(text)
    return {
        "chars": len(text),
        "spans": len(spans),
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "rss_mb": _peak_rss_mb(),
    }


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[2_000, 1_000_000], help="characters per run")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(_one(args.child)))
        return 0
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'chars':>10} {'spans':>7} {'wall s':>8} {'chars/s wall':>13} {'cpu s':>8} {'chars/s cpu':>12} "
          f"{'peak RSS MB':>12}")
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(size)], env=env, capture_output=True, text=True,
                             check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{r['chars']:>10,} {r['spans']:>7,} {r['wall']:>8.2f} {r['chars'] / r['wall']:>13,.0f}"
            f" {r['cpu']:>8.2f} {r['chars'] / r['cpu']:>12,.0f} {r['rss_mb']:>12.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
