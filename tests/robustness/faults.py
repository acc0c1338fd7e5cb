"""Kill `kg build` at random moments and check that the store still answers with one whole graph.

Used by tests/robustness/test_faults.py (a few dozen kills) and scripts/fuzz.py (hundreds).
Two versions of the seed facts, A and B, differ in one English name; builds alternate
between them, so a build that was killed half-way could only show as a store that mixes
them, answers nothing, or fails to open. A second, unchanging document beside the seed
makes a build without ``--force`` incremental (one of two files changed), so kills hit
both the full build and the copy-and-replace rebuild. After every kill the store must open, hold
exactly version A or version B (manifest, name index and RDF agreeing), and answer
`kg members 红领宁商` with its four named members.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
STEM = "000_12437ccd38f279d8"
QINGHAI_DAXUE = "https://w3id.org/park-kg/id/university/qinghai-daxue"
VARIANTS = {"A": "Qinghai University", "B": "Qinghai University (variant B)"}
HONGLING_NAMED = {"生物园区管委会", "西宁市生物园区商会", "青海大美中药科技有限公司", "青海塞奇食品有限公司"}
PHASES = ("loading facts", "rebuilding", "compiling", "SHACL", "writing quads", "copying the current store")
EXTRA = """source: extra
entities:
  - id: fund/hecheng-jijin
    type: Fund
    name: 合成基金
    quote: 合成基金
relations:
  - subject: fund/hecheng-jijin
    predicate: supports
    object: university/qinghai-daxue
    quote: 合成基金支持青海大学
"""


def variant_seeds(root: Path, variant: str) -> Path:
    """A copy of seeds/ at ``root/<variant>`` whose 青海大学 has that variant's English name; its facts dir."""
    dst = root / variant
    if not dst.exists():
        shutil.copytree(SEEDS, dst)
        f = dst / "facts" / f"{STEM}.yaml"
        text = f.read_text(encoding="utf-8")
        old = "name_en: Qinghai University\n"
        assert old in text
        f.write_text(text.replace(old, f"name_en: {VARIANTS[variant]}\n", 1), encoding="utf-8")
        (dst / "facts" / "extra.yaml").write_text(EXTRA, encoding="utf-8")
        (dst / "sources" / "extra.txt").write_text("合成基金支持青海大学。\n", encoding="utf-8")
        (dst / "sources" / "extra.meta.yaml").write_text("id: extra-doc\ntitle: 合成\n", encoding="utf-8")
    return dst / "facts"


def kg_build(store: Path, facts: Path, *extra: str, runner: list[str] | None = None, **popen) -> subprocess.Popen:
    """`kg build --force` (``"--no-force"`` in ``extra``: without it, so incremental when it can be); ``runner``
    replaces ``python -m kg.cli`` (a script that patches something, then runs the CLI)."""
    args = [a for a in extra if a != "--no-force"] + ([] if "--no-force" in extra else ["--force"])
    return subprocess.Popen(
        [*(runner or [sys.executable, "-m", "kg.cli"]), "--store", str(store), "build", "--facts", str(facts), *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        **popen,
    )


@dataclass
class Expected:
    """What a whole build of one variant holds."""

    input_hash: str
    triples: int


def store_variant(store: Path, expected: dict[str, Expected]) -> str:
    """Which whole variant the store serves; raises AssertionError if it is anything else."""
    from kg.queries import members
    from kg.stores.embedded import EmbeddedStore

    s = EmbeddedStore(store)
    manifest = s.manifest()
    variant = next((v for v, e in expected.items() if e.input_hash == manifest["input_hash"]), None)
    assert variant is not None, f"unknown input hash {manifest['input_hash']}"
    assert s.names.by_iri[QINGHAI_DAXUE].name_en == VARIANTS[variant], "name index of another build"
    labels = [r["en"] for r in s.select(f"SELECT ?en WHERE {{ <{QINGHAI_DAXUE}> park:translatedLabel ?en }}")]
    assert labels == [VARIANTS[variant]], f"RDF of another build: {labels}"
    assert len(s.ox) == expected[variant].triples, "a partial graph"
    assert {r["member_name"] for r in members(s, "红领宁商").tables[0].rows} == HONGLING_NAMED
    return variant


@dataclass
class KillReport:
    """What the run did: kills by phase, builds that ran to the end, and every failure found."""

    kills: int = 0
    by_phase: dict[str, int] = field(default_factory=dict)
    completed: int = 0
    crashes: list[str] = field(default_factory=list)  # a build that failed without being killed, or printed a traceback
    data_lost: list[str] = field(default_factory=list)  # the store did not serve one whole graph after a kill
    leftovers: int = 0  # generations left beside current and previous before the final clean build
    seconds: float = 0.0

    def summary(self) -> str:
        phases = ", ".join(f"{k} {v}" for k, v in sorted(self.by_phase.items()))
        return (
            f"{self.kills} builds killed with SIGKILL ({phases}); {self.completed} ran to the end; "
            f"crashes {len(self.crashes)}; data lost {len(self.data_lost)}; {self.seconds:.0f} s"
        )


def _reader(stream, lines: list[tuple[float, str]]) -> None:
    for raw in stream:
        lines.append((time.monotonic(), raw.decode("utf-8", "replace")))


def kill_builds(root: Path, kills: int, seed: int = 0, progress=None) -> KillReport:
    """Kill ``kills`` forced builds of ``root/store`` at random moments; check the store after each."""
    rng = random.Random(seed)
    t0 = time.monotonic()
    store = root / "store"
    facts = {v: variant_seeds(root, v) for v in VARIANTS}
    expected: dict[str, Expected] = {}
    for v in ("B", "A"):  # A ends up served
        p = kg_build(store, facts[v], "--no-shacl")
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
        from kg.stores.embedded import EmbeddedStore

        s = EmbeddedStore(store)
        expected[v] = Expected(s.manifest()["input_hash"], len(s.ox))
    report = KillReport()
    serving = "A"
    attempt = 0
    while report.kills < kills:
        attempt += 1
        target = "B" if serving == "A" else "A"
        shacl = attempt % 5 == 0  # every fifth build validates with SHACL: kills during validation too
        incremental = attempt % 2 == 0  # every other build replaces only the changed document's graph
        p = kg_build(
            store, facts[target], *(() if shacl else ("--no-shacl",)), *(("--no-force",) if incremental else ())
        )
        lines: list[tuple[float, str]] = []
        reader = threading.Thread(target=_reader, args=(p.stderr, lines), daemon=True)
        reader.start()
        if rng.random() < 0.5:  # at a random moment …
            time.sleep(rng.uniform(0.0, 3.0 if shacl else 0.6))
        else:  # … or a random moment after a chosen phase began
            last = PHASES[5] if incremental else PHASES[4]
            phase = rng.choice((*PHASES[:4], last) if shacl else (*PHASES[:3], last, last))
            deadline = time.monotonic() + 60
            while p.poll() is None and not any(phase in ln for _, ln in lines) and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(rng.uniform(0.0, 0.15))
        seen = [ln for _, ln in lines]
        p.send_signal(signal.SIGKILL)
        p.wait()
        reader.join(5)
        err = "".join(ln for _, ln in lines)
        if p.returncode == -signal.SIGKILL:
            report.kills += 1
            last = next((ph for ln in reversed(seen) for ph in PHASES if ph in ln), "starting")
            report.by_phase[last] = report.by_phase.get(last, 0) + 1
        elif p.returncode == 0:
            report.completed += 1
        else:
            report.crashes.append(f"build {attempt} exited {p.returncode}: {err[-500:]}")
        if "Traceback" in err or "internal error" in err:
            report.crashes.append(f"build {attempt}: {err[-500:]}")
        try:
            serving = store_variant(store, expected)
        except Exception as e:  # noqa: BLE001 - every way the store can be wrong is a finding
            report.data_lost.append(f"after build {attempt} ({p.returncode}): {type(e).__name__}: {e}")
        if len([d for d in store.glob("gen-*")]) > 12:  # killed builds leave generations; a whole build prunes them
            _clean_build(store, facts[serving], report)
        if progress:
            progress(report)
    report.leftovers = max(0, len(list(store.glob("gen-*"))) - 2)
    _clean_build(store, facts["B" if serving == "A" else "A"], report)
    if len(list(store.glob("gen-*"))) > 2:
        report.data_lost.append(f"a whole build left {len(list(store.glob('gen-*')))} generations")
    report.seconds = time.monotonic() - t0
    return report


def _clean_build(store: Path, facts: Path, report: KillReport) -> None:
    p = kg_build(store, facts, "--no-shacl")
    _, err = p.communicate(timeout=300)
    if p.returncode != 0:
        report.crashes.append(f"clean build exited {p.returncode}: {err.decode('utf-8', 'replace')[-500:]}")
    else:
        report.completed += 1


def free_lock(store: Path) -> bool:
    """True when no build holds the store's lock (taken and released at once to find out)."""
    from kg.errors import BuildLocked
    from kg.stores.embedded import StoreDir

    try:
        with StoreDir(store).lock():
            return True
    except BuildLocked:
        return False
