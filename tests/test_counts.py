"""The counts ``kg stats`` shows, recorded by ``kg build`` (kg.stores.counts): equal to a recount after a full
and an incremental build; a store without the record, or written to since its build, is recounted."""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import pytest
from conftest import write_synth

from kg import queries
from kg.build import build
from kg.queries import texts as q
from kg.stores import counts, integrity
from kg.stores.embedded import EmbeddedStore, StoreDir


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    out = tmp_path_factory.mktemp("counts")
    write_synth(out, seed=5)
    return out / "facts"


def _recounted(store) -> dict[str, list]:
    """Both queries run by the store, as if no record existed."""
    s = EmbeddedStore(store)
    return {nq.name: s.select(nq.sparql) for nq in (q.CLASS_COUNTS, q.PREDICATE_COUNTS)}


def _answered(store) -> dict[str, list]:
    """Both queries as the store answers them (from the record when it can), and whether it used the record."""
    s = EmbeddedStore(store)
    got = {nq.name: s.run(nq) for nq in (q.CLASS_COUNTS, q.PREDICATE_COUNTS)}
    recorded = {n: counts.answer(n, s.manifest(), s.generation, lambda: s.ox) is not None for n in counts.QUERIES}
    return {"rows": got, "recorded": recorded}


def _manifest(store) -> tuple:
    path = StoreDir(store).current / "manifest.json"
    return path, json.loads(path.read_text(encoding="utf-8"))


def test_full_build_records_the_counts_a_recount_gives(facts, tmp_path):
    store = tmp_path / "store"
    build(facts, store, shacl=False)
    got = _answered(store)
    assert got["recorded"] == {"class_counts": True, "predicate_counts": True}
    assert got["rows"] == _recounted(store)
    classes = {r["class"]: r for r in got["rows"]["class_counts"]}
    assert classes["org:Membership"]["count"] > 0 and classes["park:Company"]["label_zh"] == "企业"


def test_incremental_build_corrects_the_counts(facts, tmp_path):
    store, work = tmp_path / "store", tmp_path / "facts"
    shutil.copytree(facts, work)
    shutil.copytree(facts.parent / "sources", tmp_path / "sources")
    build(work, store, shacl=False)
    before = _manifest(store)[1][counts.RECORD]
    # one document states a membership another one states too (the same node in two graphs: counted once)
    a, b = work / "park0000-01.yaml", work / "park0001-01.yaml"
    block = a.read_text(encoding="utf-8").split("memberships:\n", 1)[1].split("\n- ", 1)[0] + "\n"
    b.write_text(b.read_text(encoding="utf-8").replace("memberships:\n", "memberships:\n" + block, 1), "utf-8")
    quote = block.split("quote: ", 1)[1].strip()
    src = tmp_path / "sources" / "park0001-01.txt"
    src.write_text(src.read_text(encoding="utf-8") + quote + "。\n", encoding="utf-8")
    (work / "park0001-02.yaml").unlink()  # its companies are referred to by no other report
    steps: list = []
    build(work, store, shacl=False, progress=steps.append)
    assert any(s.phase.startswith("rebuilding 1 changed and 1 removed") for s in steps if hasattr(s, "phase"))
    shared = "SELECT ?m WHERE { GRAPH ?g { ?m a org:Membership } GRAPH ?h { ?m a org:Membership } FILTER(?g != ?h) }"
    assert EmbeddedStore(store).select(shared)
    after = _manifest(store)[1][counts.RECORD]
    assert after != before
    got = _answered(store)
    assert got["recorded"] == {"class_counts": True, "predicate_counts": True}
    assert got["rows"] == _recounted(store)
    full = tmp_path / "full"
    build(work, full, shacl=False)
    assert _manifest(full)[1][counts.RECORD] == after


def test_a_store_without_the_record_is_recounted(facts, tmp_path):
    store = tmp_path / "store"
    build(facts, store, shacl=False)
    path, manifest = _manifest(store)
    del manifest[counts.RECORD]  # a store built before the record
    path.write_text(json.dumps(integrity.seal(manifest), ensure_ascii=False), encoding="utf-8")
    got = _answered(store)
    assert got["recorded"] == {"class_counts": False, "predicate_counts": False}
    assert got["rows"] == _recounted(store)
    assert queries.stats(EmbeddedStore(store)).tables[0].rows  # kg stats answers


def test_a_store_written_to_after_its_build_is_recounted(facts, tmp_path):
    store = tmp_path / "store"
    build(facts, store, shacl=False)
    cur = StoreDir(store).current
    db = ox.Store(str(cur / "oxigraph"))  # what `kg serve --writable` or another program may do
    extra = ox.NamedNode("https://example.org/x")
    db.add(ox.Quad(extra, ox.NamedNode("https://example.org/p"), extra, ox.NamedNode("https://example.org/g")))
    db.flush()
    del db
    got = _answered(store)
    assert got["recorded"] == {"class_counts": False, "predicate_counts": False}
    predicates = {r["predicate"] for r in got["rows"]["predicate_counts"]}
    assert "https://example.org/p" in predicates  # the recount sees the write the record cannot know
