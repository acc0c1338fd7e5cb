"""Clusters of organizations found in the structure, side by side with the declared groups.

Clusters come from modularity on the projection (Louvain, seeded, or greedy modularity);
entities without a relation are left out of them. A *declared* group is an organization
that has members (a 党建共同体, an alliance): the structure *confirms* it when the group and
all its members fall in one cluster. Organizations that belong to several declared groups
are listed with the clusters those groups fall in.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from kg.analytics.network import Network, load, scope_note
from kg.errors import KgError
from kg.queries.result import Report, Table

__all__ = ["communities", "clusters", "METHODS"]

METHODS = ("louvain", "greedy")


def clusters(net: Network, method: str = "louvain", resolution: float = 1.0, seed: int = 0) -> list[list[str]]:
    """Clusters of the connected entities, largest (by organizations) first, each sorted by IRI."""
    g = net.simple.subgraph([v for v in net.simple if net.simple.degree(v) > 0])
    if g.number_of_edges() == 0:
        return []
    if method == "louvain":
        found = nx.community.louvain_communities(g, weight="weight", resolution=resolution, seed=seed)
    elif method == "greedy":
        found = nx.community.greedy_modularity_communities(g, weight="weight", resolution=resolution)
    else:
        raise KgError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    out = [sorted(c) for c in found]
    return sorted(out, key=lambda c: (-sum(net.is_org(v) for v in c), -len(c), net.label(net.hub(c))))


def _cap(items: list[str], limit: int | None) -> list[str]:
    """At most ``limit`` items; a last one says how many more there are."""
    if not limit or len(items) <= limit:
        return items
    return [*items[:limit], f"… {len(items) - limit} more"]


def _names(net: Network, nodes, limit: int | None) -> list[str]:
    """Names of ``nodes``, most connected first, capped at ``limit``."""
    return _cap([net.label(v) for v in sorted(nodes, key=lambda v: (-net.simple.degree(v), net.label(v)))], limit)


def _verdict(together: int, members: int) -> str:
    """``confirmed`` when every member shares the group's cluster, ``mostly`` for a majority, else ``split``."""
    if together == members:
        return "confirmed"
    if 2 * together > members:
        return "mostly"
    return "split"


def communities(
    store,
    status: str = "all",
    method: str = "louvain",
    resolution: float = 1.0,
    seed: int = 0,
    limit: int | None = 20,
    names: int | None = 12,
) -> Report:
    """Clusters of organizations, the declared groups they confirm, and organizations in several groups.

    Tables: ``clusters`` (each cluster's organizations, hub and the declared groups in it),
    ``declared`` (each group: how many of its members share its cluster, and a verdict),
    ``overlaps`` (organizations in several declared groups). ``limit`` caps the rows of
    each table and ``names`` the names listed in a cell (``None``: all).

    >>> from kg.analytics.examples import seed_store
    >>> r = communities(seed_store())
    >>> for row in r.tables[1].rows:
    ...     print(row["group"], row["together"], row["verdict"], row["elsewhere"])
    西宁经济技术开发区生物科技产业园区绿色算力党建联盟 6 of 6 confirmed []
    红领宁商党建共同体 3 of 4 mostly ['生物园区管委会 (c2)']
    >>> [row["organization"] for row in r.tables[2].rows]
    ['生物园区管委会']
    >>> for group in r.tables[2].rows[0]["groups"]:
    ...     print(group)
    红领宁商党建共同体 (active)
    西宁经济技术开发区生物科技产业园区绿色算力党建联盟 (planned)
    """
    net = load(store, status)
    found = clusters(net, method, resolution, seed)
    cluster_of = {v: f"c{i}" for i, c in enumerate(found, 1) for v in c}
    rows = _cluster_rows(net, found, cluster_of, names)
    notes = [
        scope_note(net),
        f"{len(found)} clusters ({len(rows)} with organizations) by {method} modularity (resolution {resolution:g}"
        + (f", seed {seed})" if method == "louvain" else ")"),
    ]
    alone = [v for v in net.orgs if net.simple.degree(v) == 0]
    if alone:
        notes.append(
            f"{len(alone)} organization(s) have no relation in this scope and are in no cluster: "
            + "、".join(_names(net, alone, names))
        )
    tables = []
    for name, cols, data, title in (
        ("clusters", _CLUSTER_COLS, rows, "结构聚类 / clusters"),
        ("declared", _DECLARED_COLS, _declared_rows(net, cluster_of, names), "声明的共同体与联盟 / declared groups"),
        ("overlaps", _OVERLAP_COLS, _overlap_rows(net, cluster_of, names), "跨多个共同体的组织 / in several groups"),
    ):
        if limit and len(data) > limit:
            notes.append(f"{name}: showing {limit} of {len(data)}; --limit to change")
        tables.append(Table(name, cols, data[:limit] if limit else data, title=title))
    return Report(tables, notes)


_CLUSTER_COLS = ["cluster", "organizations", "entities", "hub", "members", "declared"]
_DECLARED_COLS = ["group", "type", "members", "cluster", "together", "verdict", "elsewhere"]
_OVERLAP_COLS = ["organization", "type", "cluster", "n_groups", "groups", "group_clusters"]


def _cluster_rows(
    net: Network, found: list[list[str]], cluster_of: dict[str, str], names: int | None
) -> list[dict[str, Any]]:
    """One row per cluster that holds organizations: its size, hub, members and the declared groups in it."""
    groups = net.groups()
    rows: list[dict[str, Any]] = []
    for i, c in enumerate(found, 1):
        orgs = [v for v in c if net.is_org(v)]
        if not orgs:
            continue
        rows.append(
            {
                "cluster": f"c{i}",
                "organizations": len(orgs),
                "entities": len(c),
                "hub": net.label(net.hub(c)),
                "members": _names(net, orgs, names),
                "declared": _names(net, [g for g in groups if cluster_of.get(g) == f"c{i}"], names),
            }
        )
    return rows


def _declared_rows(net: Network, cluster_of: dict[str, str], names: int | None) -> list[dict[str, Any]]:
    """One row per declared group: how many of its members share its cluster, a verdict, the ones elsewhere."""
    declared: list[dict[str, Any]] = []
    for g, members in net.groups().items():
        where = [cluster_of.get(m) for m, _st in members]
        home = cluster_of.get(g)
        together = sum(w == home for w in where)
        declared.append(
            {
                "group": net.label(g),
                "type": net.type(g),
                "members": len(members),
                "cluster": home,
                "together": f"{together} of {len(members)}",
                "verdict": _verdict(together, len(members)),
                "elsewhere": _cap([f"{net.label(m)} ({w})" for (m, _st), w in zip(members, where) if w != home], names),
            }
        )
    declared.sort(key=lambda r: (-r["members"], r["group"]))
    return declared


def _overlap_rows(net: Network, cluster_of: dict[str, str], names: int | None) -> list[dict[str, Any]]:
    """Organizations in several declared groups, with those groups and their clusters."""
    in_groups: dict[str, list[tuple[str, str]]] = {}
    for g, members in net.groups().items():
        for m, st in members:
            in_groups.setdefault(m, []).append((g, st))
    overlaps: list[dict[str, Any]] = [
        {
            "organization": net.label(m),
            "type": net.type(m),
            "cluster": cluster_of.get(m),
            "n_groups": len({g for g, _st in gs}),
            "groups": _cap(sorted(f"{net.label(g)} ({st})" for g, st in gs), names),
            "group_clusters": _cap(sorted({cluster_of.get(g, "") for g, _st in gs}), names),
        }
        for m, gs in in_groups.items()
        if len({g for g, _st in gs}) > 1
    ]
    overlaps.sort(key=lambda r: (-r["n_groups"], r["organization"]))
    return overlaps
