"""The ontology and its SHACL shapes: every shape has valid and invalid examples that behave."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef

ONTO = ROOT / "ontology"
PARK = Namespace("https://w3id.org/park-kg/ontology#")
SH = Namespace("http://www.w3.org/ns/shacl#")
EXAMPLES = sorted((ONTO / "examples").glob("*.ttl"))


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTO / "park.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTO / "shapes.ttl")


def _shape_ids(shapes: Graph) -> set[str]:
    ids = set()
    for s in set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape)):
        m = re.search(r"#(S\d+)-", str(s))
        if m:
            ids.add(m.group(1))
    return ids


def test_every_shape_has_a_message_and_examples(shapes):
    ids = _shape_ids(shapes)
    assert len(ids) >= 9
    for sid in ids:
        assert (ONTO / "examples" / f"{sid}-valid.ttl").is_file(), sid
        assert list((ONTO / "examples").glob(f"{sid}-invalid-*.ttl")), sid
    for s in shapes.subjects(RDF.type, SH.NodeShape):
        if re.search(r"#S\d+-", str(s)):
            msgs = (
                list(shapes.objects(s, SH.message))
                + [m for p in shapes.objects(s, SH.property) for m in shapes.objects(p, SH.message)]
                + [m for c in shapes.objects(s, SH.sparql) for m in shapes.objects(c, SH.message)]
            )
            assert msgs, f"{s} has no sh:message"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_shape_example(path: Path, onto, shapes):
    import pyshacl

    data = Graph().parse(path)
    data += onto
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=False)
    sid = path.name.split("-")[0]
    if "-invalid-" in path.name:
        assert not conforms, f"{path.name} should violate {sid}"
        sources = {str(o) for o in results.objects(None, SH.sourceShape)}
        nested = {str(o) for s in sources for o in shapes.subjects(SH.property, URIRef(s))}
        assert any(f"#{sid}-" in s for s in sources | nested), sources
    else:
        assert conforms, f"{path.name} should conform"


def test_every_term_has_bilingual_labels_and_definitions(onto):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = {s for k in kinds for s in onto.subjects(RDF.type, k) if str(s).startswith(str(PARK))}
    assert len(terms) >= 60
    missing = []
    for t in terms:
        for pred in (RDFS.label, SKOS.definition):
            langs = {o.language for o in onto.objects(t, pred) if isinstance(o, Literal)}
            if not {"zh", "en"} <= langs:
                missing.append((str(t), str(pred)))
    assert not missing


def test_seed_kinds_are_covered(onto):
    needed = """IndustrialPark Company University GovernmentBody ChamberOfCommerce Association PartyOrganization
        PartyBuildingCommunity Alliance Incubator Accelerator MakerSpace SciencePark ResearchInstitute Fund Project
        PolicyDocument Event Mechanism Indicator""".split()
    for n in needed:
        assert (PARK[n], RDF.type, OWL.Class) in onto, n
    org = Namespace("http://www.w3.org/ns/org#")
    for n in ("PartyBuildingCommunity", "Alliance"):
        assert (PARK[n], RDFS.subClassOf, org.OrganizationalCollaboration) in onto


def test_planned_membership_is_not_a_kind_of_membership_triple(onto):
    org = Namespace("http://www.w3.org/ns/org#")
    assert (PARK.plannedMemberOf, RDFS.subPropertyOf, org.memberOf) not in onto


def test_no_owl_imports(onto):
    assert not list(onto.objects(None, OWL.imports))


def test_generated_vocab_is_current():
    r = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_vocab.py"), "--check"], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr


def test_shacl_passes_on_the_seed_graph():
    from kg.build import compile_facts, shacl_validate
    from kg.facts import load_facts

    shacl_validate(list(compile_facts(load_facts(SEEDS / "facts"))))
