"""The SPARQL translation of the shapes gives pySHACL's results: same focus nodes, shapes, messages, paths.

pySHACL stays the reference implementation here: every example of ontology/examples/, the
seed graph and a synthetic graph with a dozen kinds of damage go through both, and the
multisets of (focus, shape, message, path) must be equal.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import ROOT, SEEDS

from kg.errors import KgError
from kg.progress import Step
from kg.shacl_sparql import UnsupportedShape, Violation, compile_shapes, run_checks
from kg.validate import ShaclError, validate_documents, violations

ONTO = ROOT / "ontology"
EXAMPLES = sorted((ONTO / "examples").glob("*.ttl"))
PARK = "https://w3id.org/park-kg/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
G = ox.NamedNode("urn:test")


def pyshacl_violations(quads: list[ox.Quad]) -> Counter:
    """pySHACL's results on ``quads`` + the ontology, as the fast path reports them."""
    import pyshacl
    from rdflib import BNode, Graph, URIRef
    from rdflib.namespace import SH

    data = Graph().parse(ONTO / "park.ttl")
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=Graph().parse(ONTO / "shapes.ttl"), inference="none")
    out = []
    for r in report.subjects(SH.resultSeverity, SH.Violation):
        focus, path = report.value(r, SH.focusNode), report.value(r, SH.resultPath)
        if isinstance(path, BNode):
            path = "^" + str(report.value(path, SH.inversePath))
        msgs = [str(m) for m in report.objects(r, SH.resultMessage) if getattr(m, "language", None) in (None, "en")]
        if isinstance(focus, URIRef):
            out.append(
                Violation(
                    str(focus), str(report.value(r, SH.sourceShape)), "; ".join(msgs), str(path) if path else None
                )
            )
    return _normal(out)


def _normal(found) -> Counter:
    """pySHACL lists a SPARQL result's messages in no fixed order: compare them as a set."""
    return Counter(Violation(v.focus, v.shape, "; ".join(sorted(v.message.split("; "))), v.path) for v in found)


def fast_violations(quads: list[ox.Quad]) -> Counter:
    return _normal(violations(quads))


def _example(path: Path) -> list[ox.Quad]:
    return [ox.Quad(t.subject, t.predicate, t.object, G) for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_gives_pyshacls_results(path):
    quads = _example(path)
    expected = pyshacl_violations(quads)
    assert fast_violations(quads) == expected
    sid = path.name.split("-")[0]
    assert bool(expected) == ("-invalid-" in path.name)
    assert all(f"#{sid}-" in v.shape for v in expected), expected  # an invalid example breaks its own shape only


def test_seed_graph_conforms_on_both():
    from kg.build import compile_facts
    from kg.facts import load_facts

    quads = list(compile_facts(load_facts(SEEDS / "facts")))
    assert pyshacl_violations(quads) == fast_violations(quads) == Counter()


def _lit(value: str, dt: str = XSD + "string", lang: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=lang) if lang else ox.Literal(value, datatype=ox.NamedNode(dt))


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _q(q: ox.Quad, s=None, p=None, o=None) -> ox.Quad:
    return ox.Quad(s or q.subject, p or q.predicate, q.object if o is None else o, q.graph_name)


# predicate local name → damage done to a few quads with that predicate (a list replaces the quad)
DAMAGE = {
    "label": [
        lambda q: [],
        lambda q: [q, _q(q, o=_lit(q.object.value + "二", lang="zh"))],
        lambda q: [
            q,
            _q(q, p=_n(PARK + "translatedLabel"), o=_lit("名", lang="zh")),
            _q(q, p=_n(PARK + "translatedLabel"), o=_lit("a", lang="en")),
        ],
    ],
    "prefLabel": [lambda q: [q, _q(q, o=_lit(q.object.value + " bis", lang=q.object.language))]],
    "position": [lambda q: [_q(q, o=_lit("0", XSD + "integer"))], lambda q: [_q(q, o=_lit("1", XSD + "integer"))]],
    "startOffset": [
        lambda q: [_q(q, o=_lit("999999999", XSD + "integer"))],
        lambda q: [_q(q, o=_lit("-1", XSD + "integer"))],
    ],
    "status": [lambda q: [_q(q, o=_n(PARK + "unknown"))]],
    "memberOf": [lambda q: []],
    "plannedMemberOf": [lambda q: [q, _q(q, p=_n("http://www.w3.org/ns/org#memberOf"))]],
    "wasDerivedFrom": [lambda q: [_q(q, o=q.subject)], lambda q: []],
    "value": [lambda q: [_q(q, o=_lit("3", XSD + "integer"))], lambda q: [_q(q, o=_lit("x", XSD + "decimal"))]],
    "source": [lambda q: []],
    "quote": [lambda q: [q, _q(q, o=_lit("另一条引文"))]],
    "object": [lambda q: [_q(q, o=_lit("文本"))]],
    "member": [lambda q: [_q(q, o=_lit("成员"))]],
    "hasStage": [lambda q: [q, _q(q, s=_n(q.subject.value + "-copy"))]],
    "date": [lambda q: [_q(q, o=_lit("2024-02-30", XSD + "date"))]],
    "fileName": [lambda q: [q, _q(q, o=_lit("b.txt"))]],
}


def _damaged(quads: list[ox.Quad], seed: int = 7) -> list[ox.Quad]:
    rng = random.Random(seed)
    by_pred: dict[str, list[int]] = {}
    for i, q in enumerate(quads):
        by_pred.setdefault(q.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1], []).append(i)
    replace: dict[int, list[ox.Quad]] = {}
    for name, harms in DAMAGE.items():
        picks = rng.sample(by_pred.get(name, []), min(3 * len(harms), len(by_pred.get(name, []))))
        for k, i in enumerate(picks):
            replace[i] = harms[k % len(harms)](quads[i])
    return [r for i, q in enumerate(quads) for r in replace.get(i, [q])]


@pytest.fixture(scope="module")
def synth_quads(tmp_path_factory) -> list[ox.Quad]:
    from kg.build import compile_facts
    from kg.facts import load_facts

    sys.path.insert(0, str(ROOT / "scripts"))
    import synth

    out = tmp_path_factory.mktemp("synth-shacl")
    synth.write_facts(synth.generate(1, 40, seed=3, per_doc=20)[0], out)  # ~2,700 quads: pySHACL takes ~15 s
    return list(compile_facts(load_facts(out / "facts", out / "sources")))


def test_damaged_synthetic_graph_gives_pyshacls_results(synth_quads):
    quads = _damaged(synth_quads)
    expected = pyshacl_violations(quads)
    assert fast_violations(quads) == expected
    shapes = {v.shape.rsplit("#", 1)[-1].split("-")[0] for v in expected}
    assert len(shapes) >= 12, shapes  # the damage reaches most shapes, so the comparison means something


def test_an_ill_typed_gyear_is_a_violation_that_pyshacl_lets_through(synth_quads):
    """The one known difference: rdflib reads any xsd:gYear lexical form, Oxigraph checks it (as SHACL asks)."""
    docs = {q.subject.value for q in synth_quads if q.predicate.value.endswith("/date")}
    quads = [
        _q(q, o=_lit("20x4", XSD + "gYear")) if q.predicate.value.endswith("/date") else q
        for q in synth_quads
        if q.subject.value in docs
    ]
    dates = {v.focus for v in fast_violations(quads) if v.shape.endswith("#S08-SourceDocument-date")}
    assert dates and dates == docs
    assert not pyshacl_violations(quads)


def test_progress_is_reported_as_steps_and_violations_name_their_document(synth_quads):
    docs: dict[str, list[ox.Quad]] = {}
    for q in _damaged(synth_quads, seed=1):
        docs.setdefault(q.graph_name.value, []).append(q)
    steps: list[Step] = []
    with pytest.raises(ShaclError, match="violates the SHACL shapes") as err:
        validate_documents(docs, lambda iri: (), batch_quads=1000, progress=steps.append)
    assert steps and {s.phase for s in steps} == {"SHACL"} and steps[-1].done == steps[-1].total
    assert "  <https://w3id.org/park-kg/id/" in str(err.value)


def test_a_shape_feature_without_a_translation_is_refused(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;\n"
        "  sh:property [ sh:path <urn:p> ; sh:hasValue <urn:v> ] .\n",
        encoding="utf-8",
    )
    with pytest.raises(UnsupportedShape, match="hasValue") as refused:
        compile_shapes(shapes)
    assert isinstance(refused.value, KgError)  # the CLI prints it as one line, not a traceback


_HEAD = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
# shapes SHACL gives a meaning the translation does not implement: each must be refused, not compiled to nothing
UNTRANSLATED = {
    "targetNode": "<urn:s> a sh:NodeShape ; sh:targetNode <urn:x> ; sh:class <urn:C> .",
    "targetObjectsOf": "<urn:s> a sh:NodeShape ; sh:targetObjectsOf <urn:p> ; sh:class <urn:C> .",
    "implicit class target": "<urn:C> a sh:NodeShape , rdfs:Class ; sh:property [ sh:path <urn:p> ; sh:minCount 1 ] .",
    "property of a property shape": "<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;\n"
    "  sh:property [ sh:path <urn:p> ; sh:property [ sh:path <urn:q> ] ] .",
    "sparql on a property shape": "<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ;\n"
    "  sh:sparql [ sh:select 'SELECT $this WHERE { }' ] ] .",
    "property shape in sh:or": "<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;\n"
    "  sh:or ( [ sh:path <urn:p> ; sh:minCount 1 ] [ sh:path <urn:q> ; sh:minCount 1 ] ) .",
    "minCount on a node shape": "<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:minCount 1 .",
    "deactivated SPARQL constraint": "<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;\n"
    "  sh:sparql [ sh:deactivated true ; sh:select 'SELECT $this WHERE { }' ] .",
    "$currentShape": "<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;\n"
    "  sh:sparql [ sh:select 'SELECT $this WHERE { $this ?p $currentShape }' ] .",
    "select without $this": "<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;\n"
    "  sh:sparql [ sh:select 'SELECT ?o WHERE { $this ?p ?o }' ] .",
    "?path in a select": "<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;\n"
    "  sh:sparql [ sh:select 'SELECT $this ?path WHERE { $this ?path ?o }' ] .",
    "LIMIT in a select": "<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;\n"
    "  sh:sparql [ sh:select 'SELECT $this WHERE { $this ?p ?o } LIMIT 1' ] .",
    "two qualified value shapes": "<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ;\n"
    "  sh:qualifiedValueShape [ sh:class <urn:D> ] , [ sh:class <urn:E> ] ;\n"
    "  sh:qualifiedMinCount 1 ] .",
    "two paths": "<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;\n"
    "  sh:property [ sh:path <urn:p> , <urn:q> ; sh:minCount 1 ] .",
    "datatype Oxigraph cannot check": "<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;\n"
    "  sh:property [ sh:path <urn:p> ; sh:datatype <urn:Datatype> ] .",
}


@pytest.mark.parametrize("ttl", UNTRANSLATED.values(), ids=list(UNTRANSLATED))
def test_every_untranslated_shape_feature_is_refused(tmp_path, ttl):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(_HEAD + ttl + "\n", encoding="utf-8")
    with pytest.raises(UnsupportedShape):
        compile_shapes(shapes)


def test_a_shape_is_known_by_its_target_without_a_type(tmp_path):
    """SHACL: the subject of sh:targetClass is a shape even when it is not typed sh:NodeShape."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        _HEAD + "<urn:s> sh:targetClass <urn:C> ; sh:property [ sh:path <urn:p> ; sh:minCount 1 ] .\n", encoding="utf-8"
    )
    store = ox.Store()
    store.add(ox.Quad(_n("urn:x"), _n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), _n("urn:C"), G))
    assert [(v.focus, v.path) for v in run_checks(store, compile_shapes(shapes))] == [("urn:x", "urn:p")]


def test_empty_lists_in_sh_in_and_sh_or_are_never_satisfied(tmp_path):
    """SHACL: no value is in an empty sh:in list, none conforms to one of no shapes."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        _HEAD + "<urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;\n"
        "  sh:property [ sh:path <urn:p> ; sh:in () ] , [ sh:path <urn:q> ; sh:or () ] .\n",
        encoding="utf-8",
    )
    store = ox.Store()
    for p in ("urn:p", "urn:q"):
        store.add(ox.Quad(_n("urn:x"), _n(p), _lit("v"), G))
    store.add(ox.Quad(_n("urn:x"), _n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), _n("urn:C"), G))
    found = run_checks(store, compile_shapes(shapes))
    assert sorted(v.path for v in found) == ["urn:p", "urn:q"]
