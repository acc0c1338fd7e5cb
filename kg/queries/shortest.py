"""The shortest path between two entities without networkx: a bidirectional BFS over the edge ends.

The graph is the one :mod:`kg.analytics` projects (entities; relation assertions with an
entity object, memberships and consecutive chain stages as edges; searched undirected).
Only the ends and status of each edge are needed to find the path: the embedded store
reads them from ``edges.json`` of its generation (written by ``kg build``) through
``edge_ends(EDGE_ENDS)``, another backend from the ``ALL_EDGES`` query. The evidence of each hop is
then asked for that hop alone (``EDGES_FROM`` with both ends bound), so a path costs a
BFS plus one small query per hop — milliseconds at a million triples, where projecting
every edge with its evidence into networkx took seconds.

Ties are broken by IRI, so every backend returns the same path; among parallel relations
a hop takes an active one before a planned or ended one, as ``kg.analytics`` does.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import Any

from kg.queries import texts as q

__all__ = ["shortest_hops", "shortest_nodes"]

_STATUS_RANK = {"active": 0, "planned": 1, "ended": 2}
_ADJACENCY: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store -> {statuses: adjacency}


def _adjacency(store: Any, statuses: frozenset[str] | None) -> dict[str, list[str]]:
    """Undirected neighbours (sorted) of every entity; kept per store when it is a fixed generation."""
    fixed = hasattr(store, "edge_ends")
    cache = _ADJACENCY.setdefault(store, {}) if fixed else {}
    if statuses in cache:
        return cache[statuses]
    ends = store.edge_ends(q.EDGE_ENDS) if fixed else None
    if ends is None:
        ends = [(r["s"], r["o"], r["status"]) for r in store.run(q.ALL_EDGES)]
    adj: dict[str, set[str]] = {}
    for s, o, status in ends:
        if (statuses is None or status in statuses) and s != o:
            adj.setdefault(s, set()).add(o)
            adj.setdefault(o, set()).add(s)
    cache[statuses] = out = {k: sorted(v) for k, v in adj.items()}
    return out


def _walk(adj: dict[str, list[str]], dist: dict[str, int], node: str) -> list[str]:
    """From ``node`` back to the BFS root, taking the smallest IRI one step closer each time."""
    out = [node]
    while dist[node]:
        node = min(n for n in adj[node] if dist.get(n) == dist[node] - 1)
        out.append(node)
    return out


def shortest_nodes(adj: dict[str, list[str]], a: str, b: str) -> list[str] | None:
    """The entities of a shortest undirected path from ``a`` to ``b`` (ties broken by IRI), or None.

    >>> adj = {"a": ["m", "n"], "m": ["a", "b"], "n": ["a", "b"], "b": ["m", "n"], "z": []}
    >>> shortest_nodes(adj, "a", "b"), shortest_nodes(adj, "a", "z"), shortest_nodes(adj, "a", "a")
    (['a', 'm', 'b'], None, ['a'])
    """
    if a == b:
        return [a] if a in adj else None
    if a not in adj or b not in adj:
        return None
    dist_a, dist_b = {a: 0}, {b: 0}
    front_a, front_b = [a], [b]
    while front_a and front_b:
        grow_a = len(front_a) <= len(front_b)
        dist, front = (dist_a, front_a) if grow_a else (dist_b, front_b)
        nxt = []
        for node in front:
            for n in adj[node]:
                if n not in dist:
                    dist[n] = dist[node] + 1
                    nxt.append(n)
        if grow_a:
            front_a = nxt
        else:
            front_b = nxt
        meet = [n for n in nxt if n in dist_a and n in dist_b]
        if meet:
            m = min(meet, key=lambda n: (dist_a[n] + dist_b[n], n))
            return _walk(adj, dist_a, m)[::-1] + _walk(adj, dist_b, m)[1:]
    return None


def _hop(store: Any, u: str, v: str, statuses: frozenset[str] | None) -> dict[str, Any]:
    rows = [r for x, y in ((u, v), (v, u)) for r in store.run(q.EDGES_FROM, s=x, o=y)]
    rows = [r for r in rows if statuses is None or r["status"] in statuses]
    r = min(rows, key=lambda r: (_STATUS_RANK.get(r["status"], 9), r["predicate"], str(r["quote"]), str(r["source"])))
    return {k: r[k] for k in ("s", "o", "predicate", "status", "quote", "source")}


def shortest_hops(store: Any, a: str, b: str, statuses: Iterable[str] | None = None) -> list[dict[str, Any]] | None:
    """A shortest path's hops (``s``, ``o`` as stated, ``predicate``, ``status``, ``quote``, ``source``), or None."""
    allowed = frozenset(statuses) if statuses is not None else None
    nodes = shortest_nodes(_adjacency(store, allowed), a, b)
    if nodes is None:
        return None
    return [_hop(store, u, v, allowed) for u, v in zip(nodes, nodes[1:])]
