"""Shared fixtures: the seed graph built once per session, and copies of the seeds to break."""

from __future__ import annotations

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
