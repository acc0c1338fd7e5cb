"""Which part of the graph a view shows: the whole graph or a focus, then filters.

The graph is the projection of :mod:`kg.analytics` over the rows of
:data:`kg.queries.texts.ALL_EDGES`; names, aliases, English names and types come from
the store's name index. Steps, in order:

1. focus: the whole graph; ``around`` (everything within ``depth`` hops, either
   direction); ``community`` (an organization, every member with its status — planned ones
   dashed and labelled — and its own relations, e.g. to the park); ``chain`` (the stages
   of the chain a name is or belongs to, in order, left to right);
2. ``predicates``: only relations with these names (``memberOf`` = ``org:memberOf``);
   entities left without a relation are dropped, except the focus;
3. ``types``: only entities of these classes or their subclasses (class name, Chinese or
   English label), and the relations among them.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from kg import analytics
from kg.errors import KgError
from kg.model.classes import classes_named
from kg.queries import texts as q
from kg.queries.texts import NamedQuery
from kg.views import MAX_NODES
from kg.views import layout as lay
from kg.views.drawing import View, draw

__all__ = ["view", "MAX_NODES", "RELATION_LABELS"]

# Chinese and English labels of the relation properties (the ontology's rdfs:label).
RELATION_LABELS = NamedQuery(
    "relation_labels",
    """
SELECT ?predicate ?label_zh ?label_en WHERE {
  ?p rdfs:label ?z FILTER(lang(?z) = "zh") OPTIONAL { ?p rdfs:label ?e FILTER(lang(?e) = "en") }
  FILTER(STRSTARTS(STR(?p), STR(park:)))
  BIND(STRAFTER(STR(?p), "#") AS ?predicate) BIND(STR(?z) AS ?label_zh) BIND(STR(?e) AS ?label_en)
}""",
)

_MEMBERSHIP = {"org:memberOf", "plannedMemberOf", "formerMemberOf"}
_ORDER = {"active": 0, "planned": 1, "ended": 2}


def _short(predicate: str) -> str:
    return predicate.removeprefix("org:")


def _relation_labels(store) -> dict[str, tuple[str, str]]:
    return {r["predicate"]: (r["label_zh"], r["label_en"] or r["predicate"]) for r in store.run(RELATION_LABELS)}


def _around(full: nx.MultiDiGraph, iri: str, depth: int) -> nx.MultiDiGraph:
    if iri not in full:
        return full.subgraph([]).copy()
    near = nx.single_source_shortest_path_length(full.to_undirected(as_view=True), iri, cutoff=depth)
    return full.subgraph(near).copy()


def _community(store, full: nx.MultiDiGraph, iri: str, name: str) -> tuple[nx.MultiDiGraph, list[list[str]], list[str]]:
    """The organization, its members by status, and its own relations; rings for the layout; notes."""
    members: dict[str, str] = {}
    for s, _, d in full.in_edges(iri, data=True) if iri in full else ():
        if d["predicate"] in _MEMBERSHIP and _ORDER[d["status"]] < _ORDER.get(members.get(s, "ended"), 9):
            members[s] = d["status"]
    if not members:
        raise KgError(f"{name} has no members in the graph; try --around {name}")
    others = set(full.successors(iri)) | set(full.predecessors(iri))
    keep = {iri, *members, *others}
    sub = full.subgraph(keep).copy()
    by_status = [[m for m in sorted(members) if members[m] == st] for st in ("active", "planned", "ended")]
    rings = [[iri], by_status[0], by_status[1] + by_status[2], sorted(keep - {iri} - set(members))]
    counts = {st: len(ms) for st, ms in zip(("active", "planned", "ended"), by_status) if ms}
    notes = [
        "members: "
        + ", ".join(f"{c} {st}" for st, c in counts.items())
        + (" (planned ones dashed and labelled 计划)" if "planned" in counts else "")
    ]
    named = len(by_status[0])
    for d in store.run(q.DECLARED_MEMBER_COUNT, org=iri):
        notes.append(
            f"the source gives {d['value']} member units in total ({d['value']}{d['unit']}成员单位) and names {named}; "
            f"the other {max(d['value'] - named, 0)} are not named — “{d['quote']}” ({d['source']})"
        )
    return sub, rings, notes


def _chain(store, full: nx.MultiDiGraph, iri: str, name: str) -> tuple[nx.MultiDiGraph, list[list[str]], str]:
    chains = [r["chain"] for r in store.run(q.CHAINS_OF, x=iri)]
    if not chains:
        raise KgError(f"{name} is not a chain nor a stage of one")
    lines, title = [], ""
    for c in sorted(set(chains)):
        stages = sorted({(r["position"], r["stage"], r["chain_name"]) for r in store.run(q.CHAIN_STAGES, chain=c)})
        lines.append([s for _, s, _ in stages])
        title = title or (stages[0][2] if stages else c)
    keep = {s for line in lines for s in line}
    sub = nx.MultiDiGraph()
    sub.add_nodes_from(keep)
    sub.add_edges_from(
        (s, o, k, d)
        for s, o, k, d in full.edges(keys=True, data=True)
        if s in keep and o in keep and d["predicate"] == "nextInChain"
    )
    return sub, lines, title


def _filter_predicates(
    g: nx.MultiDiGraph, known: set[str], predicates: tuple[str, ...], focus: str | None
) -> nx.MultiDiGraph:
    wanted = {_short(p) for p in predicates}
    unknown = sorted(wanted - known)
    if unknown:
        raise KgError(f"no relation named {', '.join(unknown)} in the graph; relations: {', '.join(sorted(known))}")
    out = nx.MultiDiGraph()
    out.add_edges_from((s, o, k, d) for s, o, k, d in g.edges(keys=True, data=True) if _short(d["predicate"]) in wanted)
    if focus in g:
        out.add_node(focus)
    return out


def _filter_types(store, g: nx.MultiDiGraph, types: tuple[str, ...]) -> nx.MultiDiGraph:
    allowed: set[str] = set()
    for t in types:
        allowed |= classes_named(t)
    keep = [v for v in g if (e := store.names.by_iri.get(v)) and allowed & set(e.types)]
    return g.subgraph(keep).copy()


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p.strip() for v in values for p in v.split(",") if p.strip())


def view(store, *, around: str | None = None, depth: int = 1, community: str | None = None, chain: str | None = None,
         types: tuple[str, ...] = (), predicates: tuple[str, ...] = (), status: str = "all", english: bool = False,
         max_nodes: int | None = MAX_NODES, collapse: bool | None = None) -> View:
    """The :class:`~kg.views.drawing.View` of the store's graph in one mode (see module docstring).

    At most one of ``around``, ``community`` and ``chain``; ``types``/``predicates`` may
    repeat or be comma-separated; ``status`` keeps only relations of that status ('all'
    keeps every one; planned ones are drawn dashed). A view of more than ``max_nodes``
    entities is refused with advice (``None``: no limit). ``collapse``: see :func:`~kg.views.drawing.draw`.
    """
    if sum(x is not None for x in (around, community, chain)) > 1:
        raise KgError("choose one of --around, --community and --chain")
    if depth < 1:
        raise KgError("--depth must be at least 1")
    if status not in ("active", "planned", "ended", "all"):
        raise KgError(f"unknown status {status!r}; use one of active, planned, ended, all")
    types, predicates = _split(types), _split(predicates)
    rows = store.run(q.ALL_EDGES)
    full = analytics.project(rows, statuses=None if status == "all" else {status})
    focus, positions, notes = None, None, []
    if around is not None:
        ent = store.names.resolve(around)
        focus, g = ent.iri, _around(full, ent.iri, depth)
        title = f"{ent.name} 周边 {depth} 度 / within {depth} hop(s)"
    elif community is not None:
        ent = store.names.resolve(community)
        focus = ent.iri
        g, rings, notes = _community(store, full, ent.iri, ent.name)
        positions = rings
        title = f"{ent.name} 及其成员 / and its members"
    elif chain is not None:
        ent = store.names.resolve(chain)
        g, lines, chain_name = _chain(store, full, ent.iri, ent.name)
        focus, positions = ent.iri if ent.iri in g else None, lines
        title = f"{chain_name} / chain"
    else:
        g, title = full, "全图 / whole graph"
    if predicates:
        g = _filter_predicates(g, {_short(r["predicate"]) for r in rows}, predicates, focus)
        title += " · " + ", ".join(predicates)
    if types:
        g = _filter_types(store, g, types)
        title += " · " + ", ".join(types)
    n = g.number_of_nodes()
    if n == 0:
        raise KgError("nothing to draw: no entity matches" + (f" (status {status})" if status != "all" else ""))
    if max_nodes is not None and n > max_nodes:
        raise KgError(
            f"this view has {n:,} entities, more than the {max_nodes:,} a browser draws readably; narrow it "
            f"(--around NAME --depth 1, --community, --type, --predicate) or pass --force"
        )
    if positions is not None:
        positions = lay.shells(positions) if community is not None else lay.rows(positions)
        positions = {v: positions.get(v, (0.0, 0.0)) for v in g}
    degrees: dict[str, Any] = dict(full.degree())
    mode = "community" if community else "chain" if chain else "around" if around else "graph"
    return draw(g, store.names.by_iri, relations=_relation_labels(store), title=title, mode=mode,
                positions=positions, center=focus, degrees=degrees, notes=notes, english=english, collapse=collapse)
