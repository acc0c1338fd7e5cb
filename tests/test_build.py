"""kg build: summary, no-op rebuild, atomic swap, lock, and a failed build leaving the old store."""

from __future__ import annotations

import pytest
from conftest import SEED_STEM

from kg.build import ShaclError, build
from kg.errors import BuildLocked
from kg.facts import FactsError
from kg.queries import members
from kg.stores.embedded import EmbeddedStore, StoreDir


def _members(store_path) -> set[str]:
    return {r["member_name"] for r in members(EmbeddedStore(store_path), "红领宁商").tables[0].rows}


def test_build_counts_and_noop(seeds_copy, tmp_path):
    store = tmp_path / "store"
    first = build(seeds_copy / "facts", store)
    c = first.counts
    assert not first.noop
    assert c["documents"] == 1 and c["entities"] >= 60 and c["memberships"] == {"active": 4, "planned": 6}
    assert c["indicators"] >= 15 and c["triples"] > c["data_triples"] > 1000
    gen = StoreDir(store).current
    again = build(seeds_copy / "facts", store)
    assert again.noop and StoreDir(store).current == gen
    forced = build(seeds_copy / "facts", store, force=True)
    assert not forced.noop and StoreDir(store).current != gen


def test_change_in_facts_triggers_rebuild(seeds_copy, tmp_path):
    store = tmp_path / "store"
    build(seeds_copy / "facts", store)
    f = seeds_copy / "facts" / f"{SEED_STEM}.yaml"
    f.write_text(
        f.read_text(encoding="utf-8").replace("name_en: Qinghai University\n", "name_en: Qinghai Univ.\n"),
        encoding="utf-8",
    )
    assert not build(seeds_copy / "facts", store).noop
    assert EmbeddedStore(store).names.resolve("Qinghai Univ.").name == "青海大学"


def test_invalid_facts_leave_the_previous_store_untouched(seeds_copy, tmp_path):
    store = tmp_path / "store"
    build(seeds_copy / "facts", store)
    before = StoreDir(store).current
    f = seeds_copy / "facts" / f"{SEED_STEM}.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("status: active", "status: maybe", 1), encoding="utf-8")
    with pytest.raises(FactsError, match=r"\.yaml:\d+: .*status 'maybe'"):
        build(seeds_copy / "facts", store)
    assert StoreDir(store).current == before
    assert len(_members(store)) == 4


def test_failure_while_writing_the_store_leaves_old_store_readable(seeds_copy, tmp_path, monkeypatch):
    from kg.build import generation

    store = tmp_path / "store"
    build(seeds_copy / "facts", store)
    before = StoreDir(store).current
    real = generation.write_data

    def half_then_die(gen, compiled, total, report):
        half = [(ff, quads[: len(quads) // 2]) for ff, quads in compiled]
        real(gen, half, total, report)  # half the data really written
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(generation, "write_data", half_then_die)
    with pytest.raises(OSError):
        build(seeds_copy / "facts", store, force=True)
    assert StoreDir(store).current == before
    assert [p.name for p in store.glob("gen-*")] == [before.name]  # the half-written one is gone
    assert len(_members(store)) == 4


def test_shacl_violation_fails_the_build_and_keeps_old_store(seeds_copy, tmp_path, monkeypatch):
    from kg.build import run

    store = tmp_path / "store"
    build(seeds_copy / "facts", store)
    before = StoreDir(store).current
    real = run.compile_file

    def without_labels(ff):  # an organization with no label must violate the shapes
        return [q for q in real(ff) if not q.predicate.value.endswith("#label")]

    monkeypatch.setattr(run, "compile_file", without_labels)
    with pytest.raises(ShaclError, match="violates the SHACL shapes"):
        build(seeds_copy / "facts", store, force=True)
    assert StoreDir(store).current == before


def test_second_build_while_locked_is_refused(seeds_copy, tmp_path):
    store = tmp_path / "store"
    with StoreDir(store).lock():
        with pytest.raises(BuildLocked, match="another kg build"):
            build(seeds_copy / "facts", store)


def test_ids_are_stable_across_rebuilds(seeds_copy, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build(seeds_copy / "facts", a)
    build(seeds_copy / "facts", b)
    q = "SELECT ?s WHERE { ?s a org:Membership } ORDER BY ?s"
    assert EmbeddedStore(a).select(q) == EmbeddedStore(b).select(q)


def test_planned_membership_never_materialized_as_active(store):
    rows = store.select("""SELECT ?m ?o WHERE {
        ?x a org:Membership ; park:status park:planned ; org:member ?m ; org:organization ?o .
        ?m org:memberOf ?o .
        FILTER NOT EXISTS { ?y a org:Membership ; park:status park:active ; org:member ?m ; org:organization ?o } }""")
    assert rows == []
    assert (
        store.select("SELECT ?o WHERE { <https://w3id.org/park-kg/id/university/qinghai-daxue> org:memberOf ?o }") == []
    )


def test_every_statement_has_evidence_in_a_named_graph(store):
    rows = store.select("""SELECT ?x WHERE {
                               { ?x a org:Membership } UNION { ?x a park:Assertion } UNION { ?x a park:Indicator }
                               FILTER NOT EXISTS { ?x prov:wasDerivedFrom/park:quote ?q } }""")
    assert rows == []
    graphs = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert {r["g"] for r in graphs} == {
        "https://w3id.org/park-kg/id/doc/xnbio-2024-07a",
        "https://w3id.org/park-kg/ontology",
    }


def test_evidence_offsets_point_at_the_quote_in_the_raw_text(store):
    from conftest import SEEDS

    from kg.text import match_key

    raw = (SEEDS / "sources" / f"{SEED_STEM}.txt").read_text(encoding="utf-8")
    rows = store.select(
        "SELECT ?q ?s ?e WHERE { ?ev a park:Evidence ; park:quote ?q ; park:startOffset ?s ; park:endOffset ?e }"
    )
    assert len(rows) > 50
    for r in rows:
        assert match_key(raw[r["s"] : r["e"]]) == match_key(r["q"])


def test_english_labels_are_marked_as_translations(store):
    assert (
        store.select(
            "SELECT ?s WHERE { GRAPH ?g { ?s rdfs:label ?l FILTER(lang(?l) = 'en') } FILTER(?g != "
            "<https://w3id.org/park-kg/ontology>) }"
        )
        == []
    )
    assert len(store.select("SELECT ?s WHERE { ?s park:translatedLabel ?l FILTER(lang(?l) = 'en') }")) >= 60


def test_build_reports_each_phase_as_progress_steps(seeds_copy, tmp_path):
    from kg.progress import Step

    steps: list = []
    build(seeds_copy / "facts", tmp_path / "store", progress=steps.append)
    phases = [s.phase for s in steps if isinstance(s, Step)]
    assert [p for i, p in enumerate(phases) if p not in phases[:i]][:5] == [
        "loading facts",
        "checking references across files",
        "compiling",
        "SHACL",
        "writing quads",
    ]
    loaded = [s for s in steps if isinstance(s, Step) and s.phase == "loading facts"]
    assert (loaded[-1].done, loaded[-1].total, loaded[-1].unit) == (1, 1, "files")
    written = [s for s in steps if isinstance(s, Step) and s.phase == "writing quads"][-1]
    assert written.done == written.total > 1000 and written.unit == "quads"


def test_a_large_build_reads_while_it_writes_and_gives_the_same_store(tmp_path, monkeypatch):
    """From PARALLEL_FILES files on (no SHACL), other processes read while the build writes: same store;
    a problem in any file leaves no new generation and the current one in place."""
    import json

    from conftest import write_synth

    from kg.build import run

    write_synth(tmp_path / "data", seed=5)
    facts = tmp_path / "data" / "facts"
    assert 2 <= len(list(facts.glob("*.yaml"))) < run.PARALLEL_FILES
    build(facts, tmp_path / "a", shacl=False)  # read, then written
    monkeypatch.setattr(run, "PARALLEL_FILES", 2)
    monkeypatch.setattr(run, "_cores", lambda: 2)
    build(facts, tmp_path / "b", shacl=False)  # read while written
    a, b = StoreDir(tmp_path / "a").current, StoreDir(tmp_path / "b").current
    for name in ("names.json", "documents.json", "edges.json"):
        assert json.loads((a / name).read_text(encoding="utf-8")) == json.loads((b / name).read_text(encoding="utf-8"))
    manifests = [json.loads((g / "manifest.json").read_text(encoding="utf-8")) for g in (a, b)]
    assert manifests[0]["counts"] == manifests[1]["counts"] and manifests[0]["input_hash"] == manifests[1]["input_hash"]
    assert manifests[0]["integrity"]["graphs"] == manifests[1]["integrity"]["graphs"]
    bad = sorted(facts.glob("*.yaml"))[0]
    bad.write_text(bad.read_text(encoding="utf-8").replace("status: active", "status: maybe", 1), encoding="utf-8")
    with pytest.raises(FactsError, match=r"\.yaml:\d+: .*status 'maybe'"):
        build(facts, tmp_path / "b", shacl=False, force=True)
    assert StoreDir(tmp_path / "b").current == b and [p.name for p in (tmp_path / "b").glob("gen-*")] == [b.name]
