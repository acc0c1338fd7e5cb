"""Paths between two entities of the projection, each hop with its relation and evidence.

Paths are searched on the undirected view: "how is A connected to B" does not care which
way a relation points, and each hop reports the relation in its stated direction. Among
parallel relations a hop takes an active one before a planned or ended one.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import networkx as nx

from kg.analytics.projection import project, undirected
from kg.queries import texts as q
from kg.queries.relations import paths_report
from kg.queries.result import Report
from kg.queries.rows import check_status

__all__ = ["shortest_path", "all_paths", "every_path", "hops_of", "path_text"]

_STATUS_RANK = {"active": 0, "planned": 1, "ended": 2}


def hops_of(g: nx.MultiDiGraph, nodes: list[str]) -> list[dict[str, Any]]:
    """The hops along a sequence of nodes: ``s``, ``o`` (as stated), ``predicate``, ``status``, evidence."""
    hops = []
    for u, v in zip(nodes, nodes[1:]):
        cands = [(u, v, d) for d in g.get_edge_data(u, v, default={}).values()]
        cands += [(v, u, d) for d in g.get_edge_data(v, u, default={}).values()]
        s, o, d = min(cands, key=lambda c: (_STATUS_RANK.get(c[2]["status"], 9), c[2]["predicate"]))
        hops.append({"s": s, "o": o, **d})
    return hops


def shortest_path(g: nx.MultiDiGraph, a: str, b: str) -> list[dict[str, Any]] | None:
    """The hops of a shortest path from ``a`` to ``b`` (undirected), or None."""
    if a not in g or b not in g:
        return None
    try:
        nodes = nx.shortest_path(g.to_undirected(as_view=True), a, b)
    except nx.NetworkXNoPath:
        return None
    return hops_of(g, nodes)


def all_paths(
    g: nx.MultiDiGraph, a: str, b: str, max_len: int | None = None, limit: int = 100
) -> list[list[dict[str, Any]]]:
    """Every shortest path from ``a`` to ``b``, or with ``max_len`` every path of at most that many hops.

    Paths visit an entity at most once; they come shortest first, then with fewer
    planned or ended hops, then by IRI, at most ``limit`` of them (ask for one more to
    know whether there are more). No path gives an empty list.

    >>> g = nx.MultiDiGraph()
    >>> edges = [("a", "m", "active"), ("m", "b", "active"), ("a", "n", "planned"), ("n", "b", "active"),
    ...          ("a", "b2", "active"), ("b2", "m", "active")]
    >>> for s, o, st in edges:
    ...     _ = g.add_edge(s, o, key=("p", st), predicate="p", status=st, quote="", source="")
    >>> [[h["o"] for h in p] for p in all_paths(g, "a", "b")]
    [['m', 'b'], ['n', 'b']]
    >>> len(all_paths(g, "a", "b", max_len=3)), len(all_paths(g, "a", "b", max_len=3, limit=1))
    (3, 1)
    """
    if a not in g or b not in g or a == b:
        return []
    u = undirected(g)
    if max_len is None:
        if not nx.has_path(u, a, b):
            return []
        found = nx.all_shortest_paths(u, a, b)
    else:
        found = nx.all_simple_paths(u, a, b, cutoff=max_len)
    cap = max(limit * 20, 1000)  # enough to sort by; a hub graph can hold millions of long paths
    paths = [hops_of(g, nodes) for nodes in itertools.islice(found, cap)]
    paths.sort(
        key=lambda hops: (len(hops), sum(h["status"] != "active" for h in hops), [(h["s"], h["o"]) for h in hops])
    )
    return paths[:limit]


def path_text(hops: list[dict[str, Any]], start: str, label: Callable[[str], str]) -> str:
    """One line for a path from ``start``: ``A —relation→ B ←relation— C``, non-active hops marked.

    >>> path_text([{"s": "a", "o": "g", "predicate": "plannedMemberOf", "status": "planned"}], "a", str.upper)
    'A —plannedMemberOf (planned)→ G'
    """
    out, at = [label(start)], start
    for h in hops:
        rel = h["predicate"] + ("" if h["status"] == "active" else f" ({h['status']})")
        if h["s"] == at:
            out.append(f"—{rel}→ {label(h['o'])}")
            at = h["o"]
        else:
            out.append(f"←{rel}— {label(h['s'])}")
            at = h["s"]
    return " ".join(out)


def every_path(store, a: str, b: str, status: str = "all", max_len: int | None = None, limit: int = 50) -> Report:
    """``kg path --all``: every shortest path from ``a`` to ``b``, or with ``max_len`` every path of at most that
    many hops (at most ``limit`` of them), one row per hop with its evidence.

    >>> from kg.analytics.examples import seed_store
    >>> r = every_path(seed_store(), "红领宁商", "绿色算力党建联盟")
    >>> r.notes[0], sorted({row["path"] for row in r.tables[0].rows})
    ('2 path(s), the shortest ones', [1, 2])
    """
    check_status(status)
    src, dst = store.names.resolve(a), store.names.resolve(b)
    graph = project(store.run(q.ALL_EDGES), statuses=None if status == "all" else {status})
    found = all_paths(graph, src.iri, dst.iri, max_len=max_len, limit=limit + 1)
    return paths_report(store, src, dst, found, status, max_len, limit)
