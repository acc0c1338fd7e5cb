"""How the network changes once planned memberships and relations take effect (or at a date).

*Before* is today's network: the active relations. *After* is, with ``status='planned'``,
the active and planned relations (planned ones keep their label), and with ``at`` the
relations in effect at that date (see :func:`kg.analytics.projection.in_effect`), planned
ones included only with ``status='planned'``. The report has:

* ``summary`` — organizations with a relation, relations, connected pairs of organizations,
  separate networks, the largest one, before and after;
* ``changes`` — each relation that takes effect (+) or is not yet in effect (−), with evidence;
* ``joined`` — groups of organizations that join a network (or are cut off from it), and through what;
* ``brokers`` — organizations whose betweenness changes, and the new cut points (without
  them, part of the network would fall away);
* ``connections`` (with ``org``) — each organization that ``org`` newly reaches (or no
  longer reaches), at what distance before and after, and by which path.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from typing import Any

import networkx as nx

from kg.analytics.network import MEMBERSHIP, Network, edge_rows, from_rows
from kg.analytics.paths import hops_of, path_text
from kg.analytics.ranking import betweenness
from kg.errors import KgError
from kg.queries.result import Report, Table

__all__ = ["compare", "summary"]


def summary(net: Network) -> dict[str, int]:
    """Size and connectedness of a network, counted over organizations."""
    orgs_per_part = [sum(net.is_org(v) for v in c) for c in nx.connected_components(net.simple) if len(c) > 1]
    return {
        "organizations with a relation": sum(1 for v in net.orgs if net.simple.degree(v)),
        "relations": net.graph.number_of_edges(),
        "connected pairs of organizations": sum(k * (k - 1) // 2 for k in orgs_per_part),
        "separate networks with organizations": sum(1 for k in orgs_per_part if k),
        "largest network (organizations)": max(orgs_per_part, default=0),
    }


def _edges(net: Network) -> dict[tuple, dict[str, Any]]:
    return {(s, o, k): d for s, o, k, d in net.graph.edges(keys=True, data=True)}


def _changes(before: Network, after: Network) -> list[dict[str, Any]]:
    """Relations in one network and not the other: memberships first, then relations between organizations."""
    eb, ea = _edges(before), _edges(after)
    found = [("+", k, ea[k]) for k in ea.keys() - eb.keys()] + [("−", k, eb[k]) for k in eb.keys() - ea.keys()]

    def order(f):
        sign, (s, o, _k), d = f
        kind = 0 if d["predicate"] in MEMBERSHIP else 1 if after.is_org(s) and after.is_org(o) else 2
        return (sign != "+", kind, d["predicate"], after.label(s), after.label(o))

    return [
        {
            "change": sign,
            "from": after.label(s),
            "relation": d["predicate"],
            "to": after.label(o),
            "status": d["status"],
            "since": d.get("since"),
            "quote": d["quote"],
            "source": d["source"],
        }
        for sign, (s, o, _k), d in sorted(found, key=order)
    ]


def _prefer(common: Network):
    """Edge weights that make a path take relations present in ``common`` before new ones."""
    return lambda u, v, _d: 1.0 if common.simple.has_edge(u, v) else 1.001


def _via(net: Network, common: Network, sources: Iterable[str], targets: set[str]) -> str:
    """The path, in ``net``, from the nearest of ``sources`` to the nearest of ``targets``.

    Dijkstra that stops at the first target; a relation absent from ``common`` costs a
    little more, so the path takes relations common to both networks when it can.
    """
    cost = _prefer(common)
    heap = [(0.0, v) for v in sorted(sources)]
    heapq.heapify(heap)
    dist = dict.fromkeys(sources, 0.0)
    pred: dict[str, str] = {}
    done: set[str] = set()
    while heap:
        d, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        if u in targets:
            nodes = [u]
            while nodes[-1] in pred:
                nodes.append(pred[nodes[-1]])
            nodes.reverse()
            return path_text(hops_of(net.graph, nodes), nodes[0], net.label)
        for w in net.simple.adj[u]:
            nd = d + cost(u, w, None)
            if w not in done and nd < dist.get(w, float("inf")):
                dist[w], pred[w] = nd, u
                heapq.heappush(heap, (nd, w))
    return ""


def _merges(old: Network, new: Network, verb: str, limit: int | None) -> list[dict[str, Any]]:
    """Parts of ``old`` (with organizations) that ``new`` connects to a bigger part: one row each."""
    part_of = {v: i for i, c in enumerate(nx.connected_components(old.simple)) for v in c}
    found = []
    for comp in nx.connected_components(new.simple):
        parts: dict[Any, list[str]] = {}
        for v in comp:
            parts.setdefault(part_of.get(v, v), []).append(v)
        with_orgs = [sorted(p) for p in parts.values() if any(new.is_org(v) for v in p)]
        if len(with_orgs) < 2:
            continue
        info = [(p, sum(new.is_org(v) for v in p), new.label(new.hub(p))) for p in with_orgs]
        main = min(info, key=lambda x: (-x[1], -len(x[0]), x[2]))
        found += [(p, n, name, main) for p, n, name in info if p is not main[0]]
    found.sort(key=lambda f: (-f[1], -max(new.simple.degree(v) for v in f[0]), f[2]))  # the best connected first
    rows = []
    for part, _n, _name, (main_part, n_main, main_name) in found[:limit] if limit else found:
        orgs = sorted((v for v in part if new.is_org(v)), key=lambda v: (-new.simple.degree(v), new.label(v)))
        rows.append(
            {
                "change": verb,
                "organizations": [new.label(v) for v in orgs],
                "network": f"{main_name} and {n_main - 1} more",
                "organizations_reached": n_main,
                "via": _via(new, old, part, set(main_part)),
            }
        )
    return rows


def _aligned(net: Network, nodes: list[str]) -> nx.Graph:
    """``net.simple`` over ``nodes`` (in that order): same size and node order on both sides, so
    normalized scores compare and a sample of sources is the same sample."""
    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from(net.simple.edges(data=True))
    return g


def _brokers(
    before: Network, after: Network, sample: int | None, seed: int, limit: int | None
) -> tuple[list[dict[str, Any]], list[str]]:
    nodes = sorted(set(before.simple) | set(after.simple))
    bb, _ = betweenness(_aligned(before, nodes), sample, seed)
    ba, note = betweenness(_aligned(after, nodes), sample, seed)
    cut_b, cut_a = set(nx.articulation_points(before.simple)), set(nx.articulation_points(after.simple))
    rows: list[dict[str, Any]] = []
    for v in after.orgs:
        change = round(ba.get(v, 0.0) - bb.get(v, 0.0), 4)
        was, now = v in cut_b, v in cut_a
        if change == 0 and was == now:
            continue
        cut = {(False, True): "new", (True, False): "no longer", (True, True): "yes"}.get((was, now), "")
        rows.append(
            {
                "organization": after.label(v),
                "type": after.type(v),
                "before": round(bb.get(v, 0.0), 4),
                "after": round(ba.get(v, 0.0), 4),
                "change": change,
                "cut_point": cut,
                "_v": v,
            }
        )
    rows.sort(key=lambda r: (-abs(r["change"]), r["cut_point"] != "new", r["organization"]))
    rows = rows[:limit] if limit else rows
    for r in rows:
        v = r.pop("_v")
        r["holds_together"] = after.pieces(v) if v in cut_a else ""
    return rows, [note] if note else []


def _connections(before: Network, after: Network, x: str, limit: int | None) -> list[dict[str, Any]]:
    d_before = nx.single_source_shortest_path_length(before.simple, x) if x in before.simple else {x: 0}
    d_after = nx.single_source_shortest_path_length(after.simple, x) if x in after.simple else {x: 0}
    _, p_after = nx.single_source_dijkstra(after.simple, x, weight=_prefer(before)) if x in after.simple else ({}, {})
    _, p_before = nx.single_source_dijkstra(before.simple, x, weight=_prefer(after)) if x in before.simple else ({}, {})
    rows = []
    for y in after.orgs:
        b, a = d_before.get(y), d_after.get(y)
        if y == x or b == a:
            continue
        change = "new" if b is None else "lost" if a is None else "closer" if a < b else "farther"
        net, paths = (after, p_after) if a is not None else (before, p_before)
        rows.append(
            {
                "organization": after.label(y),
                "type": after.type(y),
                "change": change,
                "before": b,
                "after": a,
                "via": path_text(hops_of(net.graph, paths[y]), x, net.label),
            }
        )
    rows.sort(
        key=lambda r: (
            r["change"] not in ("new", "closer"),
            r["after"] if r["after"] is not None else 1 << 30,
            r["organization"],
        )
    )
    return rows[:limit] if limit else rows


def _scope_notes(rows: list[dict[str, Any]], status: str, at: str | None, changed: bool) -> list[str]:
    """What before and after mean, what undated relations count as, and "no change" with a hint."""
    notes = [
        "before: today's network (active relations); after: "
        + ("active and planned relations" if status == "planned" else "active relations")
        + (f" in effect at {at}" if at else "")
        + (" — planned relations keep the status planned" if status == "planned" else "")
    ]
    if at:
        undated = {(r["s"], r["predicate"], r["o"], r["status"]) for r in rows if not r.get("since")}
        n_active = sum(k[3] == "active" for k in undated)
        n_planned = sum(k[3] == "planned" for k in undated)
        notes.append(
            f"undated: {n_active} active relation(s) are taken as in effect at {at}"
            + (f", {n_planned} planned one(s) are left out (no date is promised)" if status == "planned" else "")
        )
    if not changed:
        notes.append(
            "no change"
            + (
                ""
                if at or status == "planned"
                else ": with --status active and no --at both sides are today's network; "
                "try --status planned or --at DATE"
            )
        )
    return notes


def _change_tables(
    changes: list[dict[str, Any]], joined: list[dict[str, Any]], brokers: list[dict[str, Any]]
) -> list[Table]:
    """The ``changes``, ``joined`` and ``brokers`` tables of :func:`compare`."""
    return [
        Table(
            "changes",
            ["change", "from", "relation", "to", "status", "since", "quote", "source"],
            changes,
            title="生效的关系 / relations that change",
        ),
        Table(
            "joined",
            ["change", "organizations", "network", "organizations_reached", "via"],
            joined,
            title="连通变化 / groups that join (or leave) a network",
        ),
        Table(
            "brokers",
            ["organization", "type", "before", "after", "change", "cut_point", "holds_together"],
            brokers,
            title="桥梁 / brokers (betweenness)",
        ),
    ]


def compare(
    store,
    status: str = "planned",
    at: str | None = None,
    org: str | None = None,
    limit: int | None = 50,
    sample: int | None = None,
    seed: int = 0,
) -> Report:
    """Today's network against the network once plans take effect (``status='planned'``) or at a date (``at``).

    ``org`` (a name) adds the ``connections`` table for that organization; ``limit`` caps
    the rows of each table (``None``: all); ``sample``/``seed`` as in
    :func:`kg.analytics.ranking.scores`.

    >>> from kg.analytics.examples import seed_store
    >>> r = compare(seed_store(), org="青海大学")
    >>> {row["measure"]: (row["before"], row["after"]) for row in r.tables[0].rows}["connected pairs of organizations"]
    (225, 366)
    >>> sorted(row["organizations"][0] for row in r.tables[2].rows if row["change"] == "joins")[:3]
    ['园区信息技术企业党组织', '西宁城市职业技术学院', '西宁经济技术开发区生物科技产业园区绿色算力党建联盟']
    >>> row = next(row for row in r.tables[4].rows if row["organization"] == "青海塞奇食品有限公司")
    >>> row["change"], row["before"], row["after"]
    ('new', None, 4)
    """
    if status not in ("active", "planned"):
        raise KgError(f"compare --status is active or planned, not {status!r}")
    rows = edge_rows(store, dated=at is not None)
    before = from_rows(rows, store.names, "active")
    after = from_rows(rows, store.names, status, at)
    sb, sa = summary(before), summary(after)
    tables = [
        Table(
            "summary",
            ["measure", "before", "after", "change"],
            [{"measure": k, "before": sb[k], "after": sa[k], "change": sa[k] - sb[k]} for k in sb],
            title="变化 / before → after",
        )
    ]
    changes = _changes(before, after)
    notes = _scope_notes(rows, status, at, bool(changes))
    joined = _merges(before, after, "joins", limit) + _merges(after, before, "cut off from", limit)
    brokers, estimate = _brokers(before, after, sample, seed, limit)
    notes += estimate
    if limit and len(changes) > limit:
        notes.append(f"changes: showing {limit} of {len(changes)}; --limit to change")
    tables += _change_tables(changes[:limit] if limit else changes, joined, brokers)
    if org is not None:
        ent = store.names.resolve(org)
        conn = _connections(before, after, ent.iri, limit)
        tables.append(
            Table(
                "connections",
                ["organization", "type", "change", "before", "after", "via"],
                conn,
                title=f"{ent.name} 的新连接 / connections (hops)",
            )
        )
        notes.append(f"connections: hops from {ent.name} in today's network (before; empty: not connected) and after")
    return Report(tables, notes)
