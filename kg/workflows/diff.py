"""What a rebuild would change: the compiled quads of a facts directory against the store's current generation.

:func:`diff` answers ``kg diff`` and ``kg ingest --dry-run``: the quads a rebuild would add
and remove, listed per node (entity, membership, relation, indicator, chain) with a readable
detail; evidence, stage and document nodes are counted but not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.facts import load_facts
from kg.queries.result import Report, Table
from kg.stores.embedded import DEFAULT_STORE

__all__ = ["diff", "DiffResult"]


@dataclass
class DiffResult:
    """Quads a rebuild from the facts would add to and remove from the store, and a readable summary."""

    added: int
    removed: int
    report: Report
    store_built: bool = True

    @property
    def unchanged(self) -> bool:
        return self.added == 0 and self.removed == 0


_KIND_OF_NODE = {"membership": "membership", "assertion": "relation", "indicator": "indicator", "chain": "chain"}
_HIDDEN = ("evidence", "stage", "doc")


def diff(
    facts_dir: Path | str = Path("seeds/facts"),
    store: Path | str = DEFAULT_STORE,
    *,
    sources_dir: Path | str | None = None,
) -> DiffResult:
    """Compare the compiled quads of ``facts_dir`` with the current generation of ``store``."""
    import pyoxigraph as ox

    from kg.build import compile_facts
    from kg.model import terms as vocab
    from kg.stores.embedded import StoreDir

    facts = load_facts(Path(facts_dir), Path(sources_dir) if sources_dir else None)
    new = set(compile_facts(facts))
    cur = StoreDir(store).current
    old: set = set()
    if cur is not None:
        st = ox.Store.read_only(str(cur / "oxigraph"))
        onto = ox.NamedNode(vocab.ONTOLOGY_IRI)
        old = {q for q in st.quads_for_pattern(None, None, None, None) if q.graph_name != onto}
        del st
    added, removed = new - old, old - new
    rows = _node_rows(added, new, "+") + _node_rows(removed, old, "-")
    rows.sort(key=lambda r: (r["change"] != "-", r["kind"], r["node"]))
    notes = []
    if cur is None:
        notes.append(f"no graph built at {store} yet: everything would be added")
    hidden = {k: sum(1 for q in added | removed if _node_kind(q.subject.value) == k) for k in _HIDDEN}
    if any(hidden.values()):
        notes.append(
            "quads of evidence, chain-stage and document nodes are counted but not listed: "
            + ", ".join(f"{k} {v}" for k, v in hidden.items() if v)
        )
    notes.append(f"{len(added)} quad(s) would be added and {len(removed)} removed")
    table = Table("changes", ["change", "kind", "node", "detail"], rows, title="kg diff: facts → store")
    return DiffResult(len(added), len(removed), Report([table], notes), cur is not None)


def _node_kind(iri: str) -> str:
    from kg.build import ID

    if not iri.startswith(ID):
        return "other"
    kind = iri[len(ID) :].split("/", 1)[0]
    return kind if kind in _HIDDEN else _KIND_OF_NODE.get(kind, "entity")


def _node_rows(changed: set, context: set, sign: str) -> list[dict[str, Any]]:
    from kg.model import terms as vocab

    rdfs_label, org_member, org_org = str(vocab.RDFS.label), str(vocab.ORG.member), str(vocab.ORG.organization)
    rdf_s, rdf_p, rdf_o = str(vocab.RDF.subject), str(vocab.RDF.predicate), str(vocab.RDF.object)
    labels = {q.subject.value: q.object.value for q in context if q.predicate.value == rdfs_label}
    props: dict[str, dict[str, str]] = {}
    for q in context:
        props.setdefault(q.subject.value, {})[q.predicate.value] = q.object.value
    from collections import Counter

    per_subject = Counter(q.subject.value for q in changed)
    rows = []
    for s in sorted(per_subject):
        kind = _node_kind(s)
        if kind in _HIDDEN or kind == "other":
            continue
        p = props.get(s, {})
        short = s.rsplit("/id/", 1)[-1]
        if kind == "membership":
            detail = f"{labels.get(p.get(org_member, ''), '?')} → {labels.get(p.get(org_org, ''), '?')}"
        elif kind == "indicator":
            of, metric = p.get(str(vocab.PARK.indicatorOf), ""), p.get(str(vocab.PARK.metric), "")
            value, unit = p.get(str(vocab.PARK.value), ""), p.get(str(vocab.PARK.unit), "")
            detail = f"{labels.get(of, '?')}: {metric} {value} {unit}"
        elif kind == "relation":
            obj = p.get(rdf_o, "")
            detail = f"{labels.get(p.get(rdf_s, ''), '?')} {p.get(rdf_p, '').rsplit('#', 1)[-1]} {labels.get(obj, obj)}"
        else:
            detail = labels.get(s, "")
        n = per_subject[s]
        rows.append(
            {"change": sign, "kind": kind, "node": short, "detail": f"{detail} ({n} quad{'s' if n != 1 else ''})"}
        )
    return rows
