"""What connects two organizations or two communities: the entities and relations between them.

The paths considered are the shortest ones between A and B, or with ``max_len`` every path
of at most that many hops. A *connector* is an entity on one of them (A and B excluded);
it is *essential* when A and B fall apart without it (every path, however long, passes
through it). Each relation on the paths comes with its evidence.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from kg.analytics.network import Network, load, scope_note
from kg.analytics.paths import all_paths
from kg.errors import KgError
from kg.queries.result import Report, Table

__all__ = ["bridges"]

_ESSENTIAL_CHECKS = 50  # connectors tested for essentialness, most used first


def _essential(net: Network, a: str, b: str, v: str) -> bool:
    return not nx.has_path(nx.restricted_view(net.simple, [v], []), a, b)


def _links(net: Network, v: str, paths: list[list[dict[str, Any]]]) -> list[str]:
    """How ``v`` is linked on the paths: ``relation→ other`` / ``←relation other``, with status when not active."""
    out: set[str] = set()
    for hops in paths:
        for h in hops:
            if v not in (h["s"], h["o"]):
                continue
            st = "" if h["status"] == "active" else f" ({h['status']})"
            out.add(
                f"{h['predicate']}{st}→ {net.label(h['o'])}"
                if h["s"] == v
                else f"←{h['predicate']}{st} {net.label(h['s'])}"
            )
    return sorted(out)


def _connectors(net: Network, paths: list[list[dict[str, Any]]], a: str, b: str) -> list[dict[str, Any]]:
    """The entities on the paths between ``a`` and ``b``: essential ones first, then the most used."""
    through = Counter(v for p in paths for v in {h[k] for h in p for k in ("s", "o")} - {a, b})
    order = sorted(through, key=lambda v: (-through[v], not net.is_org(v), net.label(v)))
    essential = {v for v in order[:_ESSENTIAL_CHECKS] if _essential(net, a, b, v)}
    connectors = [
        {
            "iri": v,
            "name": net.label(v),
            "type": net.type(v),
            "paths": f"{through[v]} of {len(paths)}",
            "essential": v in essential,
            "links": _links(net, v, paths),
            "memberships": net.memberships_text(v),
        }
        for v in order
    ]
    connectors.sort(key=lambda r: (not r["essential"], -through[r["iri"]], not net.is_org(r["iri"]), r["name"]))
    return connectors


def _relations(net: Network, paths: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each relation on the paths, most used first, with its status and evidence."""
    used = Counter((h["s"], h["predicate"], h["o"], h["status"]) for p in paths for h in p)
    hop = {(h["s"], h["predicate"], h["o"], h["status"]): h for p in paths for h in p}
    return [
        {
            "from": net.label(s),
            "relation": p,
            "to": net.label(o),
            "status": st,
            "paths": n,
            "quote": hop[(s, p, o, st)]["quote"],
            "source": hop[(s, p, o, st)]["source"],
        }
        for (s, p, o, st), n in sorted(
            used.items(), key=lambda kv: (-kv[1], net.label(kv[0][0]), kv[0][1], net.label(kv[0][2]))
        )
    ]


def _tables(connectors: list[dict[str, Any]], relations: list[dict[str, Any]], between: str) -> list[Table]:
    """The ``connectors`` and ``relations`` tables of :func:`bridges`."""
    return [
        Table(
            "connectors",
            ["name", "type", "paths", "essential", "links", "memberships"],
            connectors,
            title=f"连接者 / connectors: {between}",
        ),
        Table(
            "relations",
            ["from", "relation", "to", "status", "paths", "quote", "source"],
            relations,
            title="关系 / relations on the paths",
        ),
    ]


def bridges(store, a: str, b: str, status: str = "all", max_len: int | None = None, limit: int = 100) -> Report:
    """The entities and relations that connect ``a`` and ``b`` (names, aliases or IRIs).

    Tables: ``connectors`` (entities on the paths: on how many, whether essential, how
    they link) and ``relations`` (each relation on the paths, with status and evidence).
    At most ``limit`` paths are examined (a note says when there are more).

    >>> from kg.analytics.examples import seed_store
    >>> r = bridges(seed_store(), "红领宁商", "绿色算力党建联盟")
    >>> [(row["name"], row["paths"], row["essential"]) for row in r.tables[0].rows]
    [('生物园区管委会', '1 of 2', False), ('西宁经济技术开发区生物科技产业园区', '1 of 2', False)]
    >>> for link in r.tables[0].rows[0]["links"]:
    ...     print(link)
    org:memberOf→ 红领宁商党建共同体
    plannedMemberOf (planned)→ 西宁经济技术开发区生物科技产业园区绿色算力党建联盟
    """
    src, dst = store.names.resolve(a), store.names.resolve(b)
    if src.iri == dst.iri:
        raise KgError(f"{a!r} and {b!r} are the same entity ({src.name}); name two different ones")
    if max_len is not None and max_len < 1:
        raise KgError("--max-len must be at least 1")
    net = load(store, status)
    paths = all_paths(net.graph, src.iri, dst.iri, max_len=max_len, limit=limit + 1)
    notes = [scope_note(net)]
    if len(paths) > limit:
        paths = paths[:limit]
        notes.append(
            f"more than {limit} paths; showing what the first {limit} (shortest first) go through — "
            "lower --max-len or raise --limit"
        )
    if not paths:
        reach = "" if max_len is None else f" within {max_len} hop(s)"
        notes.append(f"no connection between {src.name} and {dst.name}{reach} in this scope")
        return Report([Table("connectors", [], [])], notes)
    lengths = sorted({len(p) for p in paths})
    span = f"{lengths[0]}" if len(lengths) == 1 else f"{lengths[0]}–{lengths[-1]}"
    notes.append(
        f"{len(paths)} path(s) of {span} hop(s) " + ("(the shortest)" if max_len is None else f"(at most {max_len})")
    )
    connectors = _connectors(net, paths, src.iri, dst.iri)
    relations = _relations(net, paths)
    if not connectors:
        notes.append(f"{src.name} and {dst.name} are directly related")
    if any(r["status"] != "active" for r in relations):
        notes.append("some paths go through planned (not yet active) relations; --status active for active ones only")
    return Report(_tables(connectors, relations, f"{src.name} ↔ {dst.name}"), notes)
