"""Shared fixtures: the seed graph built once per session, and copies of the seeds to break."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_STEM = "000_12437ccd38f279d8"


def write_synth(out: Path, seed: int, nquads: bool = False):
    """Facts and sources (and N-Quads) of a synthetic graph: 2 parks, 200 companies, 40 a report."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import synth

    docs, probes = synth.generate(2, 200, seed=seed, per_doc=40)
    synth.write_facts(docs, out)
    if nquads:
        synth.write_nquads(docs, out)
    return docs, probes


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory) -> Path:
    """A store built from the repository's seed facts."""
    from kg.build import build

    store = tmp_path_factory.mktemp("seed") / "store"
    build(SEEDS / "facts", store)
    return store


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A writable copy of seeds/ (facts + sources) for tests that break or change it."""
    dst = tmp_path / "seeds"
    shutil.copytree(SEEDS, dst)
    return dst


@pytest.fixture
def store(seed_store):
    from kg.stores.embedded import EmbeddedStore

    return EmbeddedStore(seed_store)


@pytest.fixture
def kg(seed_store):
    """Invoke the CLI on the seed store: kg("members", "红领宁商") -> click Result."""
    from kg.cli import cli

    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--store", str(seed_store), *args], catch_exceptions=False)

    return invoke


# ---------------------------------------------------------------------------- test lanes
# `pytest` runs the fast lane (unit and small integration); `-m integration` (servers, browser, graph database,
# real `kg` processes, faults injected into real stores) and `-m slow` (synthetic scale, 5 MB texts, property
# sweeps, the extraction rounds) run in CI through scripts/test.sh. The lanes are assigned here, by file and by
# name, from the durations of a full run (--durations=0): a test of those kinds over about a second leaves the
# fast lane. A marker written on a test is kept.
_INTEGRATION_FILES = {
    "test_remote_sparql.py", "test_views_browser.py", "test_bolt_server.py", "test_server.py", "test_push.py",
    "test_install.py", "test_readme.py", "test_docs.py", "test_ingest.py",
    "robustness/test_faults_bolt.py", "robustness/test_bad_cypher.py", "robustness/test_bad_http.py",
    "robustness/test_endpoint_security.py", "robustness/test_faults.py", "robustness/test_process_safety.py",
    "robustness/test_graphdb_ports.py", "robustness/test_security.py", "robustness/test_damaged_store.py",
    "robustness/test_extract_safety.py", "robustness/test_ingest_safety.py", "robustness/test_store_integrity.py",
    "robustness/test_bad_sparql.py", "robustness/test_ingest_merge.py",
}
_INTEGRATION_NAMES = re.compile(r"subprocess|killed|stopped_while|runner_replaces|writable_server|timeout|ballooning"
                                r"|graph_restricts_to_one_source_document")
_GRAPH_DATABASE = {"graphdb", "bolt", "falkordb"}  # fixtures that start a FalkorDB server
_SLOW_FILES = {"test_synth.py", "test_extract_linear.py", "test_properties.py"}
_SLOW_NAMES = re.compile(r"5mb|eval_script|rounds_the_rules|untouched_round|problem_list_is_capped|nested-100000")


def lane(path: Path, name: str, fixtures: tuple[str, ...] = ()) -> str:
    """'slow', 'integration' or 'fast' for the test ``name`` in the file at ``path`` that uses ``fixtures``."""
    rel = path.relative_to(ROOT / "tests").as_posix() if path.is_relative_to(ROOT / "tests") else path.name
    if rel in _SLOW_FILES or _SLOW_NAMES.search(name):
        return "slow"
    if rel in _INTEGRATION_FILES or _INTEGRATION_NAMES.search(name) or _GRAPH_DATABASE & set(fixtures):
        return "integration"
    return "fast"


def pytest_configure(config):
    """SIGINT works in every test process: xdist's workers (execnet) and a run started in the background by a
    non-interactive shell ignore it, and the kg processes the tests interrupt would inherit that."""
    import signal

    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("slow") or item.get_closest_marker("integration"):
            continue
        kind = lane(Path(str(item.path)), item.name, tuple(getattr(item, "fixturenames", ())))
        if kind != "fast":
            item.add_marker(getattr(pytest.mark, kind))


def figures_of(raw: str, twice: bool = False) -> set[tuple[str, str, float, str]]:
    """(subject, metric, value, unit) of the figures `kg extract` emits from ``raw``; ``twice``: from ``raw`` written
    twice, so that every organization a one-sentence test names is named twice, as a figure's subject must be
    (figfilter.MIN_NAMED), and the test of another rule runs what ships."""
    from kg.extract import extract_text

    figs = extract_text(raw + "\n" + raw if twice else raw, "t").figures
    return {(f.about.name, f.metric, f.value, f.unit) for f in figs}
