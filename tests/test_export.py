"""`kg export`: every format re-imports (rdflib, networkx, csv) to the counts the store holds."""

from __future__ import annotations

import csv
import re
import subprocess
import sys

import pytest
from conftest import ROOT

ONTOLOGY = "https://w3id.org/park-kg/ontology"
JINHE = "https://w3id.org/park-kg/id/company/jinhe-zangyao"


def count(store, sparql: str) -> int:
    return store.select(sparql)[0]["n"]


@pytest.fixture(scope="module")
def expected(seed_store):
    """Counts computed by SPARQL on the store, independently of the exporter."""
    from kg.stores.embedded import EmbeddedStore

    store = EmbeddedStore(seed_store)
    data = f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ONTOLOGY}>)"
    return {
        "quads": count(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
        "graphs": count(store, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
        "triples": count(
            store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
        ),
        "nodes": count(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {data} }}"),
        "relationships": count(
            store,
            f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{
            {data} FILTER(?p != rdf:type) GRAPH ?g2 {{ ?o ?p2 ?o2 }} FILTER(?g2 != <{ONTOLOGY}>) }} }}""",
        ),
        "data_triples": {
            (r["s"], r["p"], r["v"], r["lang"], r["dt"])
            for r in store.select(
                "SELECT DISTINCT ?s ?p (STR(?o) AS ?v) (COALESCE(LANG(?o), '') AS ?lang) (IF(isLiteral(?o), "
                f"STR(DATATYPE(?o)), '') AS ?dt) WHERE {{ {data} }}"
            )
        },
    }


def export(kg, tmp_path, fmt: str):
    out = tmp_path / f"out.{fmt}"
    r = kg("export", "--format", fmt, "-o", str(out))
    assert r.exit_code == 0, r.output
    return out, r


def test_expected_counts_are_not_trivial(expected):
    assert expected["graphs"] == 2 and expected["quads"] > expected["nodes"] > 100 and expected["relationships"] > 100


@pytest.mark.parametrize("fmt,rdflib_format", [("trig", "trig"), ("nq", "nquads"), ("jsonld", "json-ld")])
def test_dataset_formats_keep_named_graphs(kg, tmp_path, expected, fmt, rdflib_format):
    import rdflib

    out, r = export(kg, tmp_path, fmt)
    ds = rdflib.Dataset()
    ds.parse(out, format=rdflib_format)
    quads = [q for q in ds.quads((None, None, None, None)) if q[3] is not None and q[3] != ds.default_graph.identifier]
    assert len(quads) == expected["quads"]
    assert {str(q[3]) for q in quads} == {ONTOLOGY, "https://w3id.org/park-kg/id/doc/xnbio-2024-07a"}
    assert f"{expected['quads']:,} quads" in r.output
    assert (rdflib.URIRef(JINHE), rdflib.SKOS.prefLabel, rdflib.Literal("金诃藏药集团有限公司", lang="zh")) in ds.graph(
        rdflib.URIRef("https://w3id.org/park-kg/id/doc/xnbio-2024-07a")
    )


def test_turtle_is_the_union(kg, tmp_path, expected):
    import rdflib

    out, _ = export(kg, tmp_path, "ttl")
    g = rdflib.Graph().parse(out, format="turtle")
    assert len(g) == expected["triples"]
    assert (rdflib.URIRef(JINHE), rdflib.SKOS.altLabel, rdflib.Literal("金诃藏药", lang="zh")) in g


def test_rdf_to_standard_output(kg, expected):
    r = kg("export", "--format", "nq")
    assert r.exit_code == 0
    assert len([line for line in r.stdout.splitlines() if line.strip()]) == expected["quads"]


def test_graphml_opens_in_networkx_with_chinese_labels(kg, tmp_path, expected):
    import networkx as nx

    out, _ = export(kg, tmp_path, "graphml")
    g = nx.read_graphml(out)
    assert (g.number_of_nodes(), g.number_of_edges()) == (expected["nodes"], expected["relationships"])
    jinhe = g.nodes[JINHE]
    assert (
        jinhe["label"] == "金诃藏药集团有限公司"
        and jinhe["name_zh"] == "金诃藏药集团有限公司"
        and jinhe["aliases"] == "金诃藏药"
    )
    assert "Company" in jinhe["labels"].split(":")
    hongling = "https://w3id.org/park-kg/id/community/hongling-ningshang"
    members = {g.nodes[a]["label"] for a, b, d in g.in_edges(hongling, data=True) if d["type"] == "MEMBER_OF"}
    assert members == {"生物园区管委会", "西宁市生物园区商会", "青海大美中药科技有限公司", "青海塞奇食品有限公司"}
    assert not [
        1 for a, b, d in g.edges(data=True) if d["type"] == "MEMBER_OF" and g.nodes[a]["label"] == "青海大学"
    ]  # planned


def _read_typed(path, delim):
    """Rows of a neo4j-admin CSV file with each column converted by its header type."""
    conv = {"long": int, "int": int, "double": float, "float": float, "boolean": lambda v: v == "true", "string": str}
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        for row in reader:
            out = {}
            for h, v in zip(header, row):
                name, _, typ = h.rpartition(":") if ":" in h else (h, "", "string")
                if v == "":
                    continue
                base = typ.removesuffix("[]") if typ not in ("ID", "LABEL", "START_ID", "END_ID", "TYPE") else "string"
                f_ = conv.get(base, str)
                out[h if not name else name] = [f_(x) for x in v.split(delim)] if typ.endswith("[]") else f_(v)
            yield header, out


def test_csv_in_neo4j_admin_layout_round_trips_to_the_rdf(seed_store, tmp_path, expected):
    """A real `kg export --format csv` subprocess; the files rebuild exactly the data triples."""
    import pyoxigraph as ox

    from kg import pg

    out = tmp_path / "csv"
    r = subprocess.run(
        [sys.executable, "-m", "kg.cli", "--store", str(seed_store), "export", "--format", "csv", "-o", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert "neo4j-admin database import full" in r.stderr
    m = re.search(r"--array-delimiter='(.)'", r.stderr)
    delim = m[1] if m else ";"
    nodes_rows = list(_read_typed(out / "nodes.csv", delim))
    header = nodes_rows[0][0]
    assert header[:2] == ["iri:ID", ":LABEL"]
    nodes = [row for _, row in nodes_rows]
    with open(out / "relationships.csv", encoding="utf-8", newline="") as f:
        rels = list(csv.DictReader(f))
    assert list(rels[0]) == [":START_ID", ":END_ID", ":TYPE"]
    assert (len(nodes), len(rels)) == (expected["nodes"], expected["relationships"])
    ids = {n["iri"] for n in nodes}
    assert all(r[":START_ID"] in ids and r[":END_ID"] in ids for r in rels)
    jinhe = next(n for n in nodes if n["iri"] == JINHE)
    assert (
        "Company" in jinhe[":LABEL"].split(delim)
        and jinhe["name_zh"] == "金诃藏药集团有限公司"
        and jinhe["aliases"] == ["金诃藏药"]
    )
    with open(out / "kg_schema.csv", encoding="utf-8", newline="") as f:
        schema = [{k: v for k, v in row.items() if k != ":LABEL"} for row in csv.DictReader(f)]
    props = [{k: v for k, v in n.items() if k != ":LABEL"} for n in nodes]
    triples = pg.to_triples(props, [(r[":START_ID"], r[":TYPE"], r[":END_ID"]) for r in rels], schema)

    def key(t):
        o = t.object
        lit = isinstance(o, ox.Literal)
        return (
            t.subject.value,
            t.predicate.value,
            o.value,
            o.language or "" if lit else "",
            o.datatype.value if lit else "",
        )

    assert {key(t) for t in triples} == expected["data_triples"]


def test_csv_needs_a_directory(kg):
    r = kg("export", "--format", "csv")
    assert r.exit_code == 1 and "give a directory with -o DIR" in r.output
