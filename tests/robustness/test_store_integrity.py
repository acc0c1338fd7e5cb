"""`kg build` does not trust the manifest alone (issue 13, item 8).

The store is changed behind the build's back, directly through pyoxigraph as a writable
endpoint would (``DROP ALL``, one graph dropped, a quote replaced by another of the same
count): `kg build` must rebuild instead of saying "up to date", and a rebuild that would be
incremental must not start from the changed store.
"""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import SEEDS, write_synth

from kg.build import build
from kg.cli import cli
from kg.model.terms import ONTOLOGY_IRI

DOC = "https://w3id.org/park-kg/id/doc/xnbio-2024-07a"
QUOTE = "https://w3id.org/park-kg/ontology#quote"


def _write(store, update: str | None = None, drop: str | None = None) -> None:
    s = ox.Store(str((store / "current").resolve() / "oxigraph"))
    if drop:
        s.remove_graph(ox.NamedNode(drop))
    if update:
        s.update(update)
    s.flush()
    del s


def _kg_build(store, facts=SEEDS / "facts"):
    return CliRunner().invoke(
        cli, ["--store", str(store), "build", "--facts", str(facts), "--no-shacl"], catch_exceptions=False
    )


def _members(store) -> int:
    r = CliRunner().invoke(
        cli, ["--store", str(store), "members", "红领宁商", "--format", "json"], catch_exceptions=False
    )
    return len(json.loads(r.stdout)["members"]) if r.exit_code == 0 else -1


@pytest.fixture
def store(seed_store, tmp_path):
    dst = tmp_path / "store"
    shutil.copytree(seed_store, dst, symlinks=True)
    return dst


CHANGES = {
    "drop-all": dict(update="DROP ALL"),
    "drop-the-document-graph": dict(drop=DOC),
    "drop-the-ontology-graph": dict(drop=ONTOLOGY_IRI),
    "delete-one-quad": dict(
        update=f"DELETE {{ GRAPH ?g {{ ?s <{QUOTE}> ?q }} }} WHERE "
               f"{{ {{ SELECT ?g ?s ?q WHERE {{ GRAPH ?g {{ ?s <{QUOTE}> ?q }} }} LIMIT 1 }} }}"
    ),
    "insert-one-quad": dict(
        update="INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/s> <https://example.org/p> 'o' } }"
    ),
    "insert-into-the-default-graph": dict(update="INSERT DATA { <https://example.org/s> <https://example.org/p> 'o' }"),
    "same-count-other-quote": dict(
        update=f"DELETE {{ GRAPH ?g {{ ?s <{QUOTE}> ?q }} }} INSERT {{ GRAPH ?g {{ ?s <{QUOTE}> '改过的引文'@zh }} }} "
        f"WHERE {{ GRAPH ?g {{ ?s <{QUOTE}> ?q }} FILTER(CONTAINS(?q, '塞奇')) }}"
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_build_rebuilds_a_store_changed_behind_its_back(change: str, store):
    assert _kg_build(store).stdout.startswith("up to date")
    _write(store, **CHANGES[change])
    r = _kg_build(store)
    assert r.exit_code == 0 and r.stdout.startswith(f"built {store}"), r.output
    assert "does not hold what was built" in r.stderr, r.stderr
    assert _members(store) == 4
    assert _kg_build(store).stdout.startswith("up to date")


def test_a_store_opened_for_writing_but_unchanged_is_up_to_date(store):
    _write(store)  # opened read-write and closed: RocksDB rewrote its own files, the quads are the same
    r = _kg_build(store)
    assert r.stdout.startswith("up to date"), r.output
    assert "comparing its graphs" in r.stderr
    r = _kg_build(store)  # the record was renewed: a stat per file again
    assert r.stdout.startswith("up to date") and "comparing" not in r.stderr, r.output


def test_queries_still_answer_after_a_legitimate_write(store):
    """`kg serve --writable` changes the store in place: queries answer from it until the next build."""
    _write(
        store,
        update=f"DELETE {{ GRAPH ?g {{ ?s <{QUOTE}> ?q }} }} INSERT {{ GRAPH ?g {{ ?s <{QUOTE}> '改过的引文'@zh }} }} "
        f"WHERE {{ GRAPH ?g {{ ?s <{QUOTE}> ?q }} FILTER(CONTAINS(?q, '塞奇')) }}",
    )
    r = CliRunner().invoke(cli, ["--store", str(store), "members", "红领宁商"], catch_exceptions=False)
    assert r.exit_code == 0 and "改过的引文" in r.stdout, r.output


def test_a_store_without_an_integrity_record_is_rebuilt_once(store):
    manifest = (store / "current").resolve() / "manifest.json"
    legacy = {
        k: v for k, v in json.loads(manifest.read_text(encoding="utf-8")).items() if k not in ("integrity", "checksum")
    }
    manifest.write_text(json.dumps(legacy), encoding="utf-8")
    r = _kg_build(store)
    assert r.stdout.startswith("built") and "no integrity record" in r.stderr, r.output
    assert _kg_build(store).stdout.startswith("up to date")


# --- incremental rebuilds -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    write_synth(out, seed=5)
    return out


@pytest.fixture
def synth_copy(generated, tmp_path):
    shutil.copytree(generated / "facts", tmp_path / "facts")
    shutil.copytree(generated / "sources", tmp_path / "sources")
    build(tmp_path / "facts", tmp_path / "store", shacl=False)
    return tmp_path / "facts", tmp_path / "store"


def _record(store) -> dict:
    return json.loads(((store / "current").resolve() / "manifest.json").read_text(encoding="utf-8"))["integrity"][
        "graphs"
    ]


def _change_one_file(facts) -> None:
    f = sorted(facts.glob("*.yaml"))[-1]
    f.write_text(f.read_text(encoding="utf-8").replace("name_en: ", "name_en: Renamed ", 1), encoding="utf-8")


def test_incremental_rebuild_records_what_a_full_build_records(synth_copy, tmp_path):
    facts, store = synth_copy
    _change_one_file(facts)
    steps: list = []
    build(facts, store, shacl=False, progress=steps.append)
    msgs = [s.phase for s in steps]
    assert any(m.startswith("rebuilding 1 changed") for m in msgs), msgs
    build(facts, tmp_path / "full", shacl=False)
    assert _record(store) == _record(tmp_path / "full")
    assert build(facts, store, shacl=False).noop


def test_no_incremental_rebuild_on_top_of_a_changed_store(synth_copy, tmp_path):
    facts, store = synth_copy
    doc = next(g for g in _record(store) if "/doc/" in g)
    _write(store, drop=doc)
    _change_one_file(facts)  # a different file may be the one changed: the dropped graph must come back anyway
    steps: list = []
    build(facts, store, shacl=False, progress=steps.append)
    msgs = [s if isinstance(s, str) else s.phase for s in steps]  # the notices are plain messages
    assert any("does not hold what was built" in m for m in msgs), msgs
    assert not any(m.startswith("rebuilding 1 changed") for m in msgs), msgs
    build(facts, tmp_path / "full", shacl=False)
    assert _record(store) == _record(tmp_path / "full")


def test_digests_recorded_at_build_are_what_the_store_holds(synth_copy):
    """The build hashes the quads in memory; a check reads them back: both must agree, decimals and dates included."""
    from kg.stores.integrity import graph_digests

    _facts, store = synth_copy
    s = ox.Store.read_only(str((store / "current").resolve() / "oxigraph"))
    assert graph_digests(s.quads_for_pattern(None, None, None)) == _record(store)


def test_digests_take_numbers_by_value():
    """Oxigraph keeps the canonical form of a number: "450.0"^^xsd:decimal comes back as "450"."""
    from kg.stores.integrity import graph_digests

    xsd = "http://www.w3.org/2001/XMLSchema#"
    s, p, g = (
        ox.NamedNode("https://example.org/s"),
        ox.NamedNode("https://example.org/p"),
        ox.NamedNode("https://example.org/g"),
    )
    written = [
        ox.Quad(s, p, ox.Literal("450.0", datatype=ox.NamedNode(xsd + "decimal")), g),
        ox.Quad(s, p, ox.Literal("0.50", datatype=ox.NamedNode(xsd + "decimal")), g),
        ox.Quad(s, p, ox.Literal("4.5E2", datatype=ox.NamedNode(xsd + "double")), g),
    ]
    store = ox.Store()
    store.extend(written)
    assert {str(q.object) for q in store} != {str(q.object) for q in written}  # the store changed their text
    assert graph_digests(store.quads_for_pattern(None, None, None)) == graph_digests(written)


def test_one_graph_digest_is_the_digest_of_its_graph():
    """The build's one-graph digest (kg.stores.integrity.graph_digest) gives what the check reads back, for the
    numbers an integer fast path takes or leaves (canonical or not) and for blank nodes."""
    from kg.stores.integrity import graph_digest, graph_digests

    xsd = "http://www.w3.org/2001/XMLSchema#"
    s, p, g = (ox.NamedNode(f"https://example.org/{n}") for n in ("s", "p", "g"))
    objects = [ox.Literal(v, datatype=ox.NamedNode(xsd + t)) for v, t in
               (("17", "integer"), ("007", "integer"), ("0", "integer"), ("-3", "integer"), ("450.0", "decimal"),
                ("١٢", "integer"), ("2024-01-01", "date"))] + [ox.BlankNode(), ox.Literal("七"), ox.NamedNode(xsd)]
    written = [ox.Quad(s, p, o, g) for o in objects] + [ox.Quad(ox.BlankNode(), p, s, g)]
    store = ox.Store()
    store.extend(written)
    back = graph_digests(store.quads_for_pattern(None, None, None))
    assert graph_digest(written, g.value) == back[g.value] == graph_digests(written)[g.value]
    assert graph_digest(written[:-1], g.value) != back[g.value]
