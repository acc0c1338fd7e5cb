"""The streamed projection `kg neo4j load` uses (the store read a predicate at a time) gives the same property
graph as the projection of the list of every quad, on the seed, on a synthetic graph and on the odd cases."""

from __future__ import annotations

import dataclasses

import pyoxigraph as ox
import pytest
from conftest import write_synth

from kg.model.terms import ONTOLOGY_IRI
from kg.pg import project, to_property_graph
from kg.stores.embedded import EmbeddedStore, data_by_predicate


def _same(streamed, listed) -> None:
    for f in dataclasses.fields(listed):
        a, b = getattr(streamed, f.name), getattr(listed, f.name)
        assert a == b, f.name
        if isinstance(a, dict):  # the same order too: nodes are written in it
            assert list(a) == list(b), f.name


@pytest.fixture(scope="module")
def synth_store(tmp_path_factory):
    from kg.build import build

    out = tmp_path_factory.mktemp("pgsynth")
    write_synth(out, seed=3)
    build(out / "facts", out / "store", sources_dir=out / "sources", shacl=False)
    return out / "store"


@pytest.mark.parametrize("which", ["seed", "synthetic"])
@pytest.mark.parametrize("one_direction", [True, False])
def test_streamed_projection_is_the_projection_of_every_quad(seed_store, synth_store, which, one_direction):
    store = EmbeddedStore(seed_store if which == "seed" else synth_store)
    listed = to_property_graph(store.data_quads(), one_direction=one_direction)
    streamed = project(data_by_predicate(store), one_direction=one_direction)
    _same(streamed, listed)
    assert len(listed.nodes) > 200 and len(listed.rels) > 300 and listed.rel_props


def test_streamed_projection_of_blank_nodes_repeats_and_the_default_graph():
    """What a build does not write but a store may hold: blank nodes, a quad repeated in two documents (a repeated
    value), quads in the default graph; the ontology's graph is left out by both."""
    P = "https://w3id.org/park-kg/ontology#"
    a, b, blank = ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.BlankNode("b1")
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    g1, g2, onto = ox.NamedNode("urn:doc1"), ox.NamedNode("urn:doc2"), ox.NamedNode(ONTOLOGY_IRI)
    st = ox.Store()
    quads = [
        ox.Quad(a, label, ox.Literal("甲", language="zh"), g1),
        ox.Quad(a, label, ox.Literal("甲", language="zh"), g2),
        ox.Quad(a, ox.NamedNode(P + "locatedIn"), b, g1),
        ox.Quad(a, ox.NamedNode(P + "note"), blank, g2),
        ox.Quad(blank, ox.NamedNode(P + "value"), ox.Literal("2.5", datatype=ox.NamedNode(P[:-1] + "#x")), g2),
        ox.Quad(b, ox.NamedNode(P + "status"), ox.NamedNode(P + "active")),  # the default graph
        ox.Quad(b, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(P + "Company"), g1),
    ]
    st.extend([*quads, ox.Quad(a, label, ox.Literal("本体"), onto), ox.Quad(onto, label, ox.Literal("o"), onto)])
    listed = to_property_graph(quads, one_direction=True)
    streamed = project(data_by_predicate(st), one_direction=True)
    _same(streamed, listed)
    assert streamed.nodes["urn:a"]["name_zh"] == ["甲", "甲"] and "_:b1" in streamed.nodes
    assert ONTOLOGY_IRI not in streamed.nodes and streamed.nodes["urn:b"]["status"] == "park:active"
