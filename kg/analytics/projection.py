"""networkx projection of the graph: which statements become edges, and paths with evidence.

Projection rules (one place, shared by ``kg path``, analytics and views):

* nodes are entities only — evidence, indicator, membership, assertion and stage nodes
  are not nodes of the projection;
* an edge is a relation assertion with an entity object (``rdf:subject → rdf:object``), a
  membership (member → organization, relation ``org:memberOf``, ``plannedMemberOf`` or
  ``formerMemberOf`` by status) or a link between consecutive chain stages
  (``nextInChain``);
* edges are directed as stated and keep ``predicate``, ``status`` and the evidence
  ``quote``/``source``; several evidence quotes for one statement make one edge;
* ``statuses`` keeps only edges of those statuses (``None`` keeps all; planned edges are
  never relabelled as active).

Paths are searched on the undirected view: "how is A connected to B" does not care which
way a relation points, and each hop reports the relation in its stated direction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

__all__ = ["project", "shortest_path"]

_STATUS_RANK = {"active": 0, "planned": 1, "ended": 2}


def project(edge_rows: Iterable[dict[str, Any]], statuses: set[str] | None = None) -> nx.MultiDiGraph:
    """A MultiDiGraph of entities from edge rows (``s, predicate, o, status, quote, source``)."""
    g = nx.MultiDiGraph()
    for r in edge_rows:
        if statuses is not None and r["status"] not in statuses:
            continue
        key = (r["predicate"], r["status"])
        if g.has_edge(r["s"], r["o"], key):
            continue
        g.add_edge(r["s"], r["o"], key=key, predicate=r["predicate"], status=r["status"], quote=r["quote"], source=r["source"])
    return g


def shortest_path(g: nx.MultiDiGraph, a: str, b: str) -> list[dict[str, Any]] | None:
    """The hops of a shortest path from ``a`` to ``b`` (undirected), or None.

    Among parallel edges the hop takes an active one before a planned or ended one.
    """
    if a not in g or b not in g:
        return None
    try:
        nodes = nx.shortest_path(g.to_undirected(as_view=True), a, b)
    except nx.NetworkXNoPath:
        return None
    hops = []
    for u, v in zip(nodes, nodes[1:]):
        cands = [(u, v, d) for d in g.get_edge_data(u, v, default={}).values()]
        cands += [(v, u, d) for d in g.get_edge_data(v, u, default={}).values()]
        s, o, d = min(cands, key=lambda c: (_STATUS_RANK.get(c[2]["status"], 9), c[2]["predicate"]))
        hops.append({"s": s, "o": o, **d})
    return hops
