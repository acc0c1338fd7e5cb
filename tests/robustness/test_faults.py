"""Faults in the embedded store's life: builds killed with SIGKILL, two builds at once, a rebuild under `kg serve`.

tests/test_build.py checks, in process, that a failed write or a SHACL violation leaves the
old store and that a held lock refuses a build; here real `kg` processes are killed and
raced. `python scripts/fuzz.py --kills N` runs the kill loop for longer.
"""

from __future__ import annotations

import json
import sys
import threading
import time

import pytest
from test_server import MEMBERS, http, running_server

from robustness.faults import (
    HONGLING_NAMED,
    QINGHAI_DAXUE,
    VARIANTS,
    free_lock,
    kg_build,
    kill_builds,
    store_variant,
    variant_seeds,
)

pytestmark = pytest.mark.integration

KILLS = 30


def test_builds_killed_at_random_moments_never_leave_a_broken_store(tmp_path):
    report = kill_builds(tmp_path, KILLS, seed=5)
    print(report.summary())
    assert report.crashes == []
    assert report.data_lost == []
    assert report.kills == KILLS
    assert (
        report.by_phase.get("writing quads", 0) + report.by_phase.get("copying the current store", 0) >= 3
    )  # the moments that matter
    assert len(report.by_phase) >= 3


def test_two_builds_at_once_the_second_is_refused_and_the_first_wins(tmp_path):
    from kg.stores.embedded import EmbeddedStore

    store = tmp_path / "store"
    a, b = variant_seeds(tmp_path, "A"), variant_seeds(tmp_path, "B")
    # with SHACL, slowed down by 3 s inside it, so the first build surely holds the lock when the second starts
    hook = tmp_path / "slow_shacl.py"
    hook.write_text(
        "import sys, time\n"
        "import kg.validate as v\n"
        "real = v.validate_documents\n"
        "def slow(*a, **k):\n"
        "    time.sleep(3)\n"
        "    return real(*a, **k)\n"
        "v.validate_documents = slow\n"
        "sys.argv[0] = 'kg'\n"
        "from kg.cli import main\n"
        "main()\n",
        encoding="utf-8",
    )
    first = kg_build(store, a, runner=[sys.executable, str(hook)])
    deadline = time.monotonic() + 120
    while free_lock(store):
        assert first.poll() is None and time.monotonic() < deadline, first.stderr.read().decode()
        time.sleep(0.01)
    second = kg_build(store, b, "--no-shacl")
    _, err = second.communicate(timeout=120)
    err = err.decode()
    assert second.returncode == 1
    assert "another kg build is writing" in err and "wait for it to finish and run the command again" in err
    assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("Error: ")
    _, err = first.communicate(timeout=300)
    assert first.returncode == 0, err.decode()
    assert EmbeddedStore(store).names.by_iri[QINGHAI_DAXUE].name_en == VARIANTS["A"]
    again = kg_build(store, b, "--no-shacl")  # once the first is done, the second goes through
    assert again.wait(120) == 0
    assert EmbeddedStore(store).names.by_iri[QINGHAI_DAXUE].name_en == VARIANTS["B"]


def test_serve_keeps_answering_while_rebuilds_swap_the_store(tmp_path):
    """Queries hammer `kg serve` while six rebuilds (full and incremental) swap generations under it: every one is
    answered."""
    store = tmp_path / "store"
    facts = {v: variant_seeds(tmp_path, v) for v in VARIANTS}
    assert kg_build(store, facts["A"], "--no-shacl").wait(120) == 0
    ask = "SELECT ?en WHERE { <%s> park:translatedLabel ?en }" % QINGHAI_DAXUE
    answers: list[tuple[int, str]] = []
    stop = threading.Event()

    def hammer(url: str) -> None:
        while not stop.is_set():
            status, _, body = http(url, params={"query": MEMBERS}, headers={"Accept": "text/csv"})
            answers.append((status, body))

    with running_server(store, tmp_path / "serve.log", "--timeout", "10") as url:
        threads = [threading.Thread(target=hammer, args=(url,)) for _ in range(2)]
        for t in threads:
            t.start()
        try:
            seen = []
            for i in range(6):
                variant = "B" if i % 2 == 0 else "A"
                assert (
                    kg_build(store, facts[variant], "--no-shacl", *(("--no-force",) if i % 3 else ())).wait(120) == 0
                )  # incremental, or full
                status, _, body = http(url, params={"query": ask}, headers={"Accept": "text/csv"})
                assert status == 200, body
                seen.append(body.splitlines()[1])  # the answer comes from the new generation at once
                health = json.loads(http(url.replace("/sparql", "/health"))[2])
                assert health["status"] == "ok"
        finally:
            stop.set()
            for t in threads:
                t.join()
    assert seen == [VARIANTS["B"], VARIANTS["A"]] * 3
    assert len(answers) > 20
    assert {s for s, _ in answers} == {200}, [a for a in answers if a[0] != 200][:3]
    assert all(set(body.splitlines()[1:]) == HONGLING_NAMED for _, body in answers)
    assert "Traceback" not in (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert store_variant(store, _expected(store)) == "A"


def _expected(store):
    """The whole-build figures of the variant the store serves now (for store_variant)."""
    from kg.stores.embedded import EmbeddedStore
    from robustness.faults import Expected

    s = EmbeddedStore(store)
    return {"A": Expected(s.manifest()["input_hash"], len(s.ox))}
