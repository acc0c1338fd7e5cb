"""Export the whole dataset: RDF (named graphs kept where the format can), GraphML, neo4j-admin CSV.

* ``trig``, ``nq``, ``jsonld``: every quad, one named graph per source document plus the
  ontology graph;
* ``ttl``: Turtle has no named graphs, so the union of all graphs (each triple once);
* ``graphml`` and ``csv``: the property graph of the data graphs (ontology left out; its
  classes become node labels) by the mapping of :mod:`kg.pg`, the same one the Bolt
  backend loads, so Cypher gives the same answers on an import of these files.
  ``csv`` writes ``nodes.csv``, ``relationships.csv`` and ``kg_schema.csv`` (the
  ``KgSchema`` nodes that let :func:`kg.pg.to_triples` rebuild the RDF) in the layout
  ``neo4j-admin database import full`` reads.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from kg.errors import KgError
from kg.model.terms import ONTOLOGY_IRI
from kg.sparql import TURTLE_PREFIXES

__all__ = ["export", "ExportReport", "FORMATS", "CSV_FILES", "csv_header_type"]

FORMATS = ("ttl", "trig", "nq", "jsonld", "graphml", "csv")
CSV_FILES = ("nodes.csv", "relationships.csv", "kg_schema.csv")
_ARRAY_DELIMITERS = (";", "|", "¦", "\u001f")


@dataclass
class ExportReport:
    """What was written: the format, where, and how many quads/triples/nodes/relationships."""

    fmt: str
    path: Path | None
    counts: dict[str, int] = field(default_factory=dict)
    command: str = ""  # how to load it (csv: the neo4j-admin command line)

    def summary(self) -> str:
        what = ", ".join(f"{v:,} {k}" for k, v in self.counts.items())
        line = f"exported {what} as {self.fmt} to {self.path if self.path else 'standard output'}"
        return line + (f"\nload with: {self.command}" if self.command else "")


def _store(path: Path | str):
    from kg.stores.embedded import EmbeddedStore

    return EmbeddedStore(path).ox


def _key(q) -> tuple[str, ...]:
    return (str(getattr(q, "graph_name", "")), str(q.subject), str(q.predicate), str(q.object))


def export(store: Path | str, fmt: str, output: Path | None = None, *, stdout: IO[bytes] | None = None) -> ExportReport:
    """Write the dataset in ``fmt`` to ``output`` (a file; a directory for csv) or ``stdout``."""
    if fmt not in FORMATS:
        raise KgError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "csv" and output is None:
        raise KgError(
            "csv writes three files (nodes.csv, relationships.csv, kg_schema.csv): give a directory with -o DIR"
        )
    ox_store = _store(store)
    if fmt in ("graphml", "csv"):
        from kg import pg as pgmap

        graph = pgmap.to_property_graph(_data_triples(ox_store))
        if fmt == "csv":
            return _write_csv(graph, output)
        data = _graphml(graph)
        counts = {"nodes": len(graph.nodes), "relationships": len(graph.rels)}
    else:
        data, counts = _rdf(ox_store, fmt)
    if output is None:
        if stdout is None:
            raise KgError("no output: give -o PATH")
        stdout.write(data)
        stdout.flush()
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(data)
    return ExportReport(fmt, output, counts)


def _rdf(ox_store, fmt: str) -> tuple[bytes, dict[str, int]]:
    import pyoxigraph as ox

    quads = sorted(ox_store.quads_for_pattern(None, None, None, None), key=_key)
    graphs = {q.graph_name for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    if fmt == "ttl":
        triples = sorted({q.triple for q in quads}, key=_key)
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES), {
            "triples": len(triples),
            "graphs merged": len(graphs),
        }
    rdf_format = {"trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    data = ox.serialize(quads, format=rdf_format, prefixes=TURTLE_PREFIXES if fmt == "trig" else None)
    return data, {"quads": len(quads), "named graphs": len(graphs)}


def _data_triples(ox_store) -> list:
    """Each triple of the source-document graphs once (the ontology graph is left out)."""
    import pyoxigraph as ox

    seen = set()
    for q in ox_store.quads_for_pattern(None, None, None, None):
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value == ONTOLOGY_IRI:
            continue
        seen.add(q.triple)
    return sorted(seen, key=_key)


# ---------------------------------------------------------------------------- GraphML


def _scalar(v: Any) -> Any:
    return "; ".join(map(str, v)) if isinstance(v, list) else v


def _graphml(graph) -> bytes:
    """GraphML of the property graph: ``label`` is the Chinese name (what Gephi shows)."""
    import networkx as nx

    from kg.pg import compact

    g = nx.MultiDiGraph()
    for iri, props in graph.nodes.items():
        attrs = {k: _scalar(v) for k, v in props.items()}
        attrs["labels"] = ":".join(graph.labels[iri])
        attrs["label"] = props.get("name_zh") or props.get("name_en") or compact(iri)
        g.add_node(iri, **attrs)
    for a, t, b in graph.rels:
        g.add_edge(a, b, key=t, type=t, label=t)
    _one_type_per_key(g.nodes.values())
    buf = io.BytesIO()
    nx.write_graphml(g, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def _one_type_per_key(items: Iterable[dict[str, Any]]) -> None:
    """GraphML declares one type per attribute: a key whose values differ in type becomes text."""
    items = list(items)
    kinds: dict[str, set[type]] = {}
    for d in items:
        for k, v in d.items():
            kinds.setdefault(k, set()).add(type(v))
    mixed = {k for k, ts in kinds.items() if len(ts) > 1}
    for d in items:
        for k in mixed & d.keys():
            d[k] = str(d[k])


# ---------------------------------------------------------------------------- neo4j-admin CSV


def csv_header_type(values: Iterable[Any]) -> str:
    """The neo4j-admin header type of a column (``long``, ``double``, ``boolean``, ``string``, ``…[]``).

    >>> csv_header_type([1, 2]), csv_header_type([1.5, "x"]), csv_header_type([["a", "b"], "c"])
    ('long', 'string', 'string[]')
    """
    values = list(values)
    array = any(isinstance(v, list) for v in values)
    flat = [x for v in values for x in (v if isinstance(v, list) else [v])]
    kinds = {type(x) for x in flat}
    base = "string"
    if kinds == {bool}:
        base = "boolean"
    elif kinds == {int}:
        base = "long"
    elif kinds and kinds <= {int, float}:
        base = "double"
    return base + ("[]" if array else "")


def _cell(v: Any, delim: str) -> str:
    if isinstance(v, list):
        return delim.join(_cell(x, delim) for x in v)
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _array_delimiter(graph) -> str:
    texts = [
        x
        for props in graph.nodes.values()
        for v in props.values()
        if isinstance(v, list)
        for x in v
        if isinstance(x, str)
    ]
    texts += [lab for labels in graph.labels.values() for lab in labels]
    for d in _ARRAY_DELIMITERS:
        if not any(d in t for t in texts):
            return d
    raise KgError("every array delimiter candidate occurs in the data; cannot write neo4j-admin CSV")


def _write_csv(graph, out_dir: Path) -> ExportReport:
    out_dir.mkdir(parents=True, exist_ok=True)
    delim = _array_delimiter(graph)
    keys: dict[str, list[Any]] = {}
    for props in graph.nodes.values():
        for k, v in props.items():
            if k != "iri":
                keys.setdefault(k, []).append(v)
    columns = sorted(keys)
    header = ["iri:ID", ":LABEL"] + [f"{k}:{csv_header_type(keys[k])}" for k in columns]
    multiline = False
    with open(out_dir / "nodes.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for iri, props in graph.nodes.items():
            row = [iri, delim.join(graph.labels[iri])] + [_cell(props[k], delim) if k in props else "" for k in columns]
            multiline = multiline or any("\n" in c or "\r" in c for c in row)
            w.writerow(row)
    with open(out_dir / "relationships.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow([":START_ID", ":END_ID", ":TYPE"])
        w.writerows([a, b, t] for a, t, b in graph.rels)
    with open(out_dir / "kg_schema.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow([":LABEL", "kind", "key", "iri", "lang"])
        w.writerows(["KgSchema", e["kind"], e["key"], e["iri"], e["lang"]] for e in graph.schema)
    opts = f" --array-delimiter='{delim}'" if delim != ";" else ""
    opts += " --multiline-fields=true" if multiline else ""
    command = (f"neo4j-admin database import full --nodes={out_dir / 'nodes.csv'} --nodes={out_dir / 'kg_schema.csv'} "
               f"--relationships={out_dir / 'relationships.csv'}{opts} neo4j")
    counts = {"nodes": len(graph.nodes), "relationships": len(graph.rels), "schema entries": len(graph.schema)}
    return ExportReport("csv", out_dir, counts, command)
