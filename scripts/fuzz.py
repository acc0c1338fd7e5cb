#!/usr/bin/env python3
"""Fuzz the facts loader and the text normalizer, kill builds at random, and print a summary.

    python scripts/fuzz.py                          # 20,000 inputs per target, 100 killed builds
    python scripts/fuzz.py --runs 200000 --kills 500
    python scripts/fuzz.py --kills 0 --engine hypothesis

Targets (each input is bytes, as a file on disk would be):

* ``facts``: the bytes are a facts file beside the seed article; ``load_facts`` must accept
  it or raise FactsError (file:line problems); any other exception is a crash.
* ``facts+source``: the bytes are split into a facts file and the source text it quotes.
* ``text``: the bytes, decoded, go through ``normalize``, ``match_key`` and ``find_quote``;
  idempotence, CJK kept, offsets pointing at their raw character and every slice found
  again must hold, or it is a crash.

The engine is atheris (libFuzzer, coverage-guided, seeded with the curated facts) when it
is installed (``pip install atheris``: Linux wheels for CPython 3.11), else hypothesis
with as many examples. A crashing input is kept in ``$TMPDIR/kg-fuzz-crashes/``. Then ``--kills``
builds are killed with SIGKILL at random moments (tests/robustness/faults.py) and the
store is checked after each.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEEDS = ROOT / "seeds"
STEM = "000_12437ccd38f279d8"
TARGETS = ("facts", "facts+source", "text")
SPLIT = b"\n#---source---\n"
CRASHES = Path(tempfile.gettempdir()) / "kg-fuzz-crashes"

__all__ = ["check_facts", "check_text", "main"]


# ---------------------------------------------------------------------------- the checks (one input each)


class Counts:
    inputs = accepted = rejected = 0


def _workdir() -> Path:
    d = Path(tempfile.mkdtemp(prefix="kg-fuzz-"))
    (d / "facts").mkdir()
    (d / "sources").mkdir()
    for suffix in (".txt", ".meta.yaml"):
        (d / "sources" / f"{STEM}{suffix}").write_bytes((SEEDS / "sources" / f"{STEM}{suffix}").read_bytes())
    return d


_WORK: Path | None = None


def check_facts(data: bytes, with_source: bool = False) -> None:
    """Load ``data`` as a facts file (and, split at SPLIT, the source it quotes): accepted or FactsError only."""
    from kg.facts import FactsError, load_facts

    global _WORK
    _WORK = _WORK or _workdir()
    facts, source = data, None
    if with_source and SPLIT in data:
        facts, _, source = data.partition(SPLIT)
        facts = f"source: {STEM}\n".encode() + facts
    (_WORK / "facts" / "x.yaml").write_bytes(facts)
    (_WORK / "sources" / f"{STEM}.txt").write_bytes(
        source if source is not None else (SEEDS / "sources" / f"{STEM}.txt").read_bytes()
    )
    Counts.inputs += 1
    try:
        load_facts(_WORK / "facts")
        Counts.accepted += 1
    except FactsError as e:
        Counts.rejected += 1
        for p in e.problems:  # every problem is file:line: one line of text
            assert "\n" not in p.message and p.line >= 0, p


def _ideographs(text: str) -> int:
    return sum(1 for c in text if unicodedata.category(c) == "Lo" and "CJK" in unicodedata.name(c, ""))


def check_text(data: bytes) -> None:
    """The normalizer's properties on ``data`` decoded as UTF-8 (undecodable bytes replaced)."""
    from kg.text import find_quote, match_key, match_key_with_offsets, normalize_with_offsets

    Counts.inputs += 1
    raw = data.decode("utf-8", "replace")
    out, offsets = normalize_with_offsets(raw)
    assert len(out) == len(offsets) and offsets == sorted(offsets)
    for ch, i in zip(out, offsets):
        src = raw[i]
        assert ch == src or ch == unicodedata.normalize("NFKC", src) or (ch in " \n" and src.isspace()), (ch, src)
    again = normalize_with_offsets(out)[0]
    assert again == out, "normalize is not idempotent"
    assert _ideographs(out) == _ideographs(raw), "normalize dropped a CJK character"
    key, koffs = match_key_with_offsets(raw)
    assert all(ch in match_key(raw[i]) for ch, i in zip(key, koffs))
    if raw:
        a = data[0] % len(raw)
        b = a + (data[-1] % 40)
        quote = raw[a:b]
        if match_key(quote):
            span = find_quote(raw, quote)
            assert span is not None and match_key(quote) in match_key(raw[span[0] : span[1]]), (
                "a slice was not found again"
            )
    Counts.accepted += 1


def _check(target: str):
    return {"facts": lambda d: check_facts(d), "facts+source": lambda d: check_facts(d, True), "text": check_text}[
        target
    ]


# ---------------------------------------------------------------------------- engines


def _corpus(target: str, d: Path) -> Path:
    """Seed inputs: the curated facts file, a small good one, the seed article."""
    d.mkdir(parents=True, exist_ok=True)
    facts = (SEEDS / "facts" / f"{STEM}.yaml").read_bytes()
    article = (SEEDS / "sources" / f"{STEM}.txt").read_bytes()
    if target == "text":
        (d / "article").write_bytes(article)
        (d / "short").write_bytes("打通\n服务群众的“最后一 公里”\n\n07A\n紅領寧商".encode())
    else:
        small = facts[: facts.index(b"\n  - id: zone/")] + b"\n"
        (d / "facts").write_bytes(facts if target == "facts" else facts.split(b"\n", 1)[1] + SPLIT + article)
        (d / "small").write_bytes(small if target == "facts" else small.split(b"\n", 1)[1] + SPLIT + article)
    return d


def _atheris_child(target: str, runs: int, out: Path) -> None:
    """Run inside a child process: libFuzzer exits the process when it finishes or finds a crash."""
    import atheris

    # only kg is instrumented: atheris's bytecode rewriting breaks PyYAML's scanner
    # (an AttributeError no plain run shows)
    with atheris.instrument_imports(include=["kg"]):
        import kg.facts  # noqa: F401
        import kg.text  # noqa: F401
    check = _check(target)

    def one(data: bytes) -> None:
        check(data)
        # libFuzzer ends the process with exit(): no atexit, so the counts are kept as they change
        out.write_text(json.dumps({"inputs": Counts.inputs, "accepted": Counts.accepted, "rejected": Counts.rejected}))

    crashes = CRASHES
    crashes.mkdir(exist_ok=True)
    corpus = _corpus(target, Path(tempfile.mkdtemp(prefix=f"kg-fuzz-corpus-{target.replace('+', '-')}-")))
    atheris.Setup(
        [
            sys.argv[0],
            f"-runs={runs}",
            "-timeout=30",
            "-rss_limit_mb=4096",
            "-max_len=16384",
            f"-artifact_prefix={crashes}/{target.replace('+', '-')}-",
            str(corpus),
        ],
        one,
    )
    atheris.Fuzz()


def run_atheris(target: str, runs: int) -> dict:
    out = Path(tempfile.mkstemp(suffix=".json")[1])
    t0 = time.monotonic()
    p = subprocess.run(
        [sys.executable, __file__, "--child", target, "--runs", str(runs), "--stats", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    stats = json.loads(out.read_text() or "{}") if out.stat().st_size else {}
    done = re.search(r"Done (\d+) runs", p.stderr)
    crashed = p.returncode != 0
    return {
        "target": target,
        "engine": "atheris",
        "inputs": int(done[1]) if done else stats.get("inputs", 0),
        "crashes": int(crashed),
        "accepted": stats.get("accepted"),
        "rejected": stats.get("rejected"),
        "seconds": time.monotonic() - t0,
        "detail": p.stderr[-3000:] if crashed else "",
    }


def run_hypothesis(target: str, runs: int) -> dict:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    Counts.inputs = Counts.accepted = Counts.rejected = 0
    seeds = [p.read_bytes() for p in _corpus(target, Path(tempfile.mkdtemp())).iterdir()]
    data = st.one_of(
        st.binary(max_size=4096),
        st.sampled_from(seeds),
        st.tuples(st.sampled_from(seeds), st.integers(0, 50_000), st.binary(max_size=64)).map(
            lambda t: t[0][: t[1]] + t[2] + t[0][t[1] :]
        ),
    )
    check = _check(target)
    t0 = time.monotonic()
    crash = ""
    try:
        settings(max_examples=runs, deadline=None, database=None, suppress_health_check=list(HealthCheck))(
            given(data)(check)
        )()
    except Exception as e:  # noqa: BLE001 - a crash is reported, not raised
        crash = f"{type(e).__name__}: {e}"[-3000:]
    return {
        "target": target,
        "engine": "hypothesis",
        "inputs": Counts.inputs,
        "crashes": int(bool(crash)),
        "accepted": Counts.accepted,
        "rejected": Counts.rejected,
        "seconds": time.monotonic() - t0,
        "detail": crash,
    }


def run_kills(kills: int, seed: int) -> dict:
    sys.path.insert(0, str(ROOT / "tests"))
    from robustness.faults import kill_builds

    with tempfile.TemporaryDirectory(prefix="kg-kills-") as d:

        def tick(r):
            if r.kills % 25 == 0 and r.kills:
                print(f"  … {r.kills} kills", file=sys.stderr)

        report = kill_builds(Path(d), kills, seed=seed, progress=tick)
    return {
        "kills": report.kills,
        "by_phase": report.by_phase,
        "completed": report.completed,
        "crashes": len(report.crashes),
        "data_lost": len(report.data_lost),
        "seconds": report.seconds,
        "summary": report.summary(),
        "detail": (report.crashes + report.data_lost)[:5],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=20_000, help="inputs per target")
    ap.add_argument("--kills", type=int, default=100, help="builds to kill with SIGKILL (0: none)")
    ap.add_argument("--targets", default=",".join(TARGETS), help=f"comma-separated, of: {', '.join(TARGETS)}")
    ap.add_argument("--engine", choices=["auto", "atheris", "hypothesis"], default="auto")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--stats", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _atheris_child(args.child, args.runs, args.stats)
        return 0
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401

            engine = "atheris"
        except ImportError:
            engine = "hypothesis"
    results = []
    for target in args.targets.split(","):
        r = (run_atheris if engine == "atheris" else run_hypothesis)(target, args.runs)
        results.append(r)
        extra = (
            f"; {r['rejected']} refused as file:line problems, {r['accepted']} accepted"
            if target != "text" and r["rejected"] is not None
            else ""
        )
        print(
            f"fuzz {target:<13} {r['inputs']:>8,} inputs ({r['engine']}, {r['seconds']:.0f} s): {r['crashes']} "
            f"crashes{extra}"
        )
        if r["detail"]:
            print(r["detail"])
    kills = run_kills(args.kills, args.seed) if args.kills else None
    if kills:
        print(f"faults: {kills['summary']}")
        for d in kills["detail"]:
            print("  " + d)
    if args.json:
        print(json.dumps({"fuzz": results, "kills": kills}, ensure_ascii=False, indent=2))
    bad = sum(r["crashes"] for r in results) + (kills["crashes"] + kills["data_lost"] if kills else 0)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
