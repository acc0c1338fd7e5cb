"""Synthetic parks (scripts/synth.py) and the fast paths they exercise: incremental rebuild,
names.sqlite, the BFS path. Real builds on generated facts; no timing is asserted.
"""

from __future__ import annotations

import json
import shutil
import sys

import pyoxigraph as ox
import pytest
from conftest import ROOT, SEEDS, write_synth

from kg import queries
from kg.build import ShaclError, build
from kg.errors import Ambiguous, NotFound
from kg.facts import FactsError
from kg.model.names import NameIndex
from kg.model.terms import ONTOLOGY_IRI
from kg.stores.embedded import EmbeddedStore, StoreDir

sys.path.insert(0, str(ROOT / "scripts"))
import synth  # noqa: E402


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Facts, sources and N-Quads of 2 parks and 200 companies, 40 companies per report."""
    out = tmp_path_factory.mktemp("synth")
    docs, probes = write_synth(out, seed=3, nquads=True)
    return out, docs, probes


@pytest.fixture(scope="module")
def synth_store(generated, tmp_path_factory):
    out = generated[0]
    store = tmp_path_factory.mktemp("synth-store") / "store"
    build(out / "facts", store)  # SHACL included
    return store


@pytest.fixture
def facts_copy(generated, tmp_path):
    shutil.copytree(generated[0] / "facts", tmp_path / "facts")
    shutil.copytree(generated[0] / "sources", tmp_path / "sources")
    return tmp_path / "facts"


def _data(store) -> set:
    s = ox.Store.read_only(str(StoreDir(store).current / "oxigraph"))
    onto = ox.NamedNode(ONTOLOGY_IRI)
    return {q for q in s.quads_for_pattern(None, None, None) if q.graph_name != onto}


def _same_as_full(store, facts, tmp_path) -> None:
    """The incrementally rebuilt store holds what a full build of the same facts writes."""
    full = tmp_path / "full"
    build(facts, full, shacl=False)
    assert _data(store) == _data(full)
    a, b = StoreDir(store).current, StoreDir(full).current
    for name in ("names.json", "documents.json", "edges.json"):
        assert (a / name).read_text(encoding="utf-8") == (b / name).read_text(encoding="utf-8"), name
    ma, mb = (json.loads((d / "manifest.json").read_text(encoding="utf-8")) for d in (a, b))
    assert ma["counts"] == mb["counts"] and ma["input_hash"] == mb["input_hash"]
    assert ma["stats"] == mb["stats"]  # what kg stats shows, corrected by the rebuild


def test_generation_is_deterministic_and_seeded():
    a, pa = synth.generate(2, 50, seed=9)
    b, pb = synth.generate(2, 50, seed=9)
    c, _ = synth.generate(2, 50, seed=10)
    assert [d.facts() for d in a] == [d.facts() for d in b] and [d.text for d in a] == [d.text for d in b] and pa == pb
    assert [d.text for d in a] != [d.text for d in c]


def test_generated_graph_is_realistic(generated):
    _, docs, _ = generated
    c = synth.counts(docs)
    assert c["documents"] >= 6 and c["entities"] > 200 and c["chains"] == 2
    statuses = {m["status"] for d in docs for m in d.memberships}
    assert statuses == {"active", "planned", "ended"}
    sizes: dict[str, int] = {}
    for d in synth.generate(20, 3000, seed=3)[0]:  # skew shows across many parks: a few large groups, many small
        for m in d.memberships:
            sizes[m["organization"]] = sizes.get(m["organization"], 0) + 1
    ranked = sorted(sizes.values(), reverse=True)
    assert ranked[0] >= 20 * ranked[len(ranked) // 2] and ranked[len(ranked) // 2] >= ranked[-1]
    assert any(e.get("aliases") for d in docs for e in d.entities)
    for d in docs:  # every quote and name occurs in the report it cites
        for sec in ("entities", "memberships", "relations", "chains", "indicators"):
            assert all(item["quote"] in d.text for item in getattr(d, sec))


def test_generated_facts_build_with_shacl_and_answer(synth_store, generated):
    probes = generated[2]
    store = EmbeddedStore(synth_store)
    members = queries.members(store, probes["community"]).tables[0].rows
    assert len(members) >= 3 and all(r["quote"] and r["source"].endswith(".txt") for r in members)
    hops = queries.path(store, *probes["path"]).tables[0].rows
    assert probes["path"][0] in (hops[0]["from"], hops[0]["to"]) and probes["path"][1] in (
        hops[-1]["from"],
        hops[-1]["to"],
    )
    assert [s["position"] for s in queries.chain(store, probes["chain"]).tables[0].rows] == [1, 2, 3, 4]
    assert store.manifest()["counts"]["memberships"].keys() == {"active", "planned", "ended"}


def test_nquads_output_is_what_the_build_writes(synth_store, generated):
    out = generated[0]
    data = set(ox.parse(path=str(out / "dataset.nq"), format=ox.RdfFormat.N_QUADS))
    assert data == _data(synth_store)


def test_incremental_rebuild_of_one_changed_file_equals_a_full_build(synth_store, facts_copy, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(synth_store, store, symlinks=True)
    f = sorted(facts_copy.glob("park0000-*.yaml"))[-1]
    f.write_text(f.read_text(encoding="utf-8").replace("name_en: ", "name_en: Renamed ", 1), encoding="utf-8")
    steps: list = []
    report = build(facts_copy, store, progress=steps.append)
    msgs = [s.phase for s in steps if hasattr(s, "phase")]  # kg.progress Steps (SHACL may still say lines)
    assert not report.noop and any(m.startswith("rebuilding 1 changed") for m in msgs)
    assert any(
        e["name_en"] and e["name_en"].startswith("Renamed ")
        for e in json.loads((StoreDir(store).current / "names.json").read_text(encoding="utf-8"))["entities"]
    )
    _same_as_full(store, facts_copy, tmp_path)
    assert build(facts_copy, store).noop


def test_incremental_rebuild_with_a_removed_and_an_added_file(synth_store, facts_copy, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(synth_store, store, symlinks=True)
    last = sorted(facts_copy.glob("park0001-*.yaml"))[-1]  # its companies are referred to by no other report
    moved = tmp_path / "moved.yaml"
    shutil.move(last, moved)
    steps: list = []
    build(facts_copy, store, progress=steps.append)
    assert any("1 removed" in s.phase for s in steps if hasattr(s, "phase"))
    _same_as_full(store, facts_copy, tmp_path / "a")
    shutil.move(moved, facts_copy / last.name)
    build(facts_copy, store)
    _same_as_full(store, facts_copy, tmp_path / "b")


def test_incremental_rebuild_checks_references_across_files(synth_store, facts_copy, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(synth_store, store, symlinks=True)
    before = StoreDir(store).current
    f = sorted(facts_copy.glob("park0000-*.yaml"))[-1]
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("organization: ", "organization: community/not-there-", 1), encoding="utf-8")
    with pytest.raises(FactsError, match="is not a defined entity"):
        build(facts_copy, store)
    first = sorted(facts_copy.glob("park0000-*.yaml"))[0]  # defines the park the later reports refer to
    f.write_text(text, encoding="utf-8")
    first.write_text(first.read_text(encoding="utf-8").replace("id: park/", "id: park/gone-", 1), encoding="utf-8")
    with pytest.raises(FactsError, match="no longer defined"):
        build(facts_copy, store)
    assert StoreDir(store).current == before


def test_incremental_shacl_violation_leaves_the_store(synth_store, facts_copy, tmp_path, monkeypatch):
    from kg.build.compile import DocumentCompiler

    store = tmp_path / "store"
    shutil.copytree(synth_store, store, symlinks=True)
    before = StoreDir(store).current
    real = DocumentCompiler.run
    monkeypatch.setattr(
        DocumentCompiler, "run", lambda self: [q for q in real(self) if not q.predicate.value.endswith("#label")]
    )
    f = sorted(facts_copy.glob("park0000-*.yaml"))[-1]
    f.write_text(f.read_text(encoding="utf-8").replace("name_en: ", "name_en: Renamed ", 1), encoding="utf-8")
    with pytest.raises(ShaclError, match="violates the SHACL shapes"):
        build(facts_copy, store)
    assert StoreDir(store).current == before


@pytest.mark.parametrize("which", ["seed", "synth"])
def test_names_sqlite_resolves_like_the_name_index(which, seed_store, synth_store, generated):
    path = seed_store if which == "seed" else synth_store
    store = EmbeddedStore(path)
    disk = store.names
    mem = NameIndex.from_json(json.loads((store.generation / "names.json").read_text(encoding="utf-8")))
    assert type(disk).__name__ == "DiskNames" and len(disk.by_iri) == len(mem.by_iri)
    texts = (
        [
            "红领宁商",
            "金诃藏药",
            "Qinghai University",
            "qinghai university",
            "青海 大学",
            "「红领宁商」党建共同体",
            "園區",
            "园区商会",
        ]
        if which == "seed"
        else [*generated[2]["path"], generated[2]["community"], generated[2]["park"].replace("区", "區")]
    )
    for text in [*texts, "no such organization", "生物"]:
        got, want = _outcome(disk, text), _outcome(mem, text)
        assert got == want, text
    some = next(iter(mem.by_iri))
    assert disk.label(some) == mem.label(some) and disk.resolve(some) == mem.resolve(some)


def _outcome(names, text):
    try:
        e = names.resolve(text)
        return ("found", e, e.matched_by)
    except Ambiguous as e:
        return ("ambiguous", str(e))
    except NotFound as e:
        return ("not found", str(e))


def test_path_from_edges_json_matches_the_projection(synth_store, generated):
    import networkx as nx

    from kg import analytics
    from kg.queries import texts as q
    from kg.queries.shortest import _adjacency, shortest_hops

    store = EmbeddedStore(synth_store)
    g = analytics.project(store.run(q.ALL_EDGES)).to_undirected(as_view=True)
    assert _adjacency(store, None) == {n: sorted(set(g.neighbors(n)) - {n}) for n in g if set(g.neighbors(n)) - {n}}
    iris = sorted(g)[:: max(1, len(g) // 12)]
    for a, b in zip(iris, reversed(iris)):
        hops = shortest_hops(store, a, b)
        assert (hops is None) == (not nx.has_path(g, a, b))
        if hops:
            assert len(hops) == nx.shortest_path_length(g, a, b)
            ends = [a]
            for h in hops:
                assert ends[-1] in (h["s"], h["o"]) and h["quote"]
                ends.append(h["o"] if h["s"] == ends[-1] else h["s"])
            assert ends[-1] == b


def test_path_without_edges_json_falls_back_to_the_query(seed_store, tmp_path):
    copy = tmp_path / "store"
    shutil.copytree(seed_store, copy, symlinks=True)
    gen = StoreDir(copy).current
    (gen / "edges.json").unlink()  # as a store built before edges.json, which had no integrity record:
    manifest = gen / "manifest.json"  # in one that has it, a missing edges.json is damage
    legacy = {
        k: v for k, v in json.loads(manifest.read_text(encoding="utf-8")).items() if k not in ("integrity", "checksum")
    }
    manifest.write_text(json.dumps(legacy), encoding="utf-8")
    with_file, without = EmbeddedStore(seed_store), EmbeddedStore(copy)
    assert without.edge_ends() is None
    for a, b in [("青海大学", "金诃藏药"), ("启迪众创空间", "产业园"), ("红领宁商", "绿色算力党建联盟")]:
        assert queries.path(without, a, b).to_dict() == queries.path(with_file, a, b).to_dict()


def test_seed_store_records_its_document(seed_store):
    docs = json.loads((StoreDir(seed_store).current / "documents.json").read_text(encoding="utf-8"))["documents"]
    assert [d["file"] for d in docs] == [p.name for p in sorted((SEEDS / "facts").glob("*.yaml"))]
    assert docs[0]["doc"] == "xnbio-2024-07a" and "company/jinhe-zangyao" in docs[0]["entities"] and docs[0]["edges"]


def test_path_and_members_in_a_new_process_load_neither_networkx_nor_rdflib(seed_store):
    import subprocess

    code = (
        "import sys, json\nfrom kg.cli import cli\nfor args in (['members', '红领宁商'], ['path', '青海大学', "
        "'金诃藏药']):\n"
        f"    try:\n        cli(['--store', {str(seed_store)!r}, *args], prog_name='kg')\n    except SystemExit:\n    "
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    mods = set(json.loads(out.strip().splitlines()[-1]))
    assert "kg.queries.shortest" in mods and "kg.stores.namedb" in mods
    assert not {"networkx", "rdflib", "pyshacl"} & mods
