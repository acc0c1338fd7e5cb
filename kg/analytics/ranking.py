"""Which organizations are hubs or brokers: degree, betweenness and PageRank, each with why.

Measures are computed over every entity of the projection (an organization linked to
many policies is a hub of the park's work) and organizations are ranked. For each one the
report says why: its memberships (the communities and alliances it belongs to or gathers),
its relations by kind, and — when it is a cut point — what it holds together.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from kg.analytics.network import Network, load, scope_note
from kg.errors import KgError
from kg.model.classes import classes_named
from kg.queries.result import Report, Table

__all__ = ["centrality", "scores", "betweenness", "pagerank", "MEASURES", "EXACT_UP_TO", "DEFAULT_SAMPLE"]

MEASURES = ("degree", "betweenness", "pagerank")
EXACT_UP_TO = 5000  # entities; above this betweenness is estimated from a sample of sources
DEFAULT_SAMPLE = 100

_COLUMNS = ["rank", "name", "type", "score", "neighbours", "memberships", "relations", "holds_together"]


def pagerank(g: nx.Graph, alpha: float = 0.85, tol: float = 1.0e-6, max_iter: int = 200) -> dict[str, float]:
    """PageRank of a weighted undirected graph by power iteration (networkx's needs scipy).

    Dangling (isolated) nodes spread their rank evenly, as in :func:`networkx.pagerank`.

    >>> r = pagerank(nx.star_graph(3))
    >>> round(r[0], 3), round(r[1], 3), round(sum(r.values()), 6)
    (0.48, 0.173, 1.0)
    """
    nodes = list(g)
    n = len(nodes)
    if n == 0:
        return {}
    strength = {v: g.degree(v, weight="weight") for v in nodes}
    dangling = [v for v in nodes if not strength[v]]
    x = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iter):
        base = (1.0 - alpha) / n + alpha * sum(x[v] for v in dangling) / n
        nxt = dict.fromkeys(nodes, base)
        for v in nodes:
            if strength[v]:
                share = alpha * x[v] / strength[v]
                for w, d in g[v].items():
                    nxt[w] += share * d.get("weight", 1)
        err = sum(abs(nxt[v] - x[v]) for v in nodes)
        x = nxt
        if err < n * tol:
            return x
    raise KgError(f"PageRank did not converge in {max_iter} iterations")


def betweenness(g: nx.Graph, sample: int | None = None, seed: int = 0) -> tuple[dict[str, float], str | None]:
    """Normalized betweenness, exact up to :data:`EXACT_UP_TO` nodes, else from ``sample`` sources.

    The sources are drawn with ``seed`` from the node list, so two graphs with the same
    nodes in the same order are sampled alike (:func:`kg.analytics.change.compare` relies on it).
    """
    n = g.number_of_nodes()
    k = sample if sample is not None else (DEFAULT_SAMPLE if n > EXACT_UP_TO else None)
    if k is not None and k >= n:
        k = None
    note = (
        None
        if k is None
        else f"betweenness estimated from {k:,} of {n:,} entities sampled as sources (seed {seed}); "
        "--sample K to change"
    )
    return nx.betweenness_centrality(g, k=k, seed=seed), note


def scores(
    net: Network, measure: str = "degree", sample: int | None = None, seed: int = 0
) -> tuple[dict[str, float], str | None]:
    """The score of every entity for ``measure``, and a note when it is an estimate.

    Betweenness is exact up to :data:`EXACT_UP_TO` entities; above that (or with
    ``sample``) it is estimated from that many source entities drawn with ``seed``.
    """
    g = net.simple
    n = g.number_of_nodes()
    if measure == "degree":
        return (nx.degree_centrality(g) if n > 1 else dict.fromkeys(g, 0.0)), None
    if measure == "pagerank":
        return pagerank(g), None
    if measure == "betweenness":
        return betweenness(g, sample, seed)
    raise KgError(f"unknown measure {measure!r}; use one of {', '.join(MEASURES)}")


def rank(net: Network, values: dict[str, float], candidates: list[str], top: int | None) -> list[tuple[int, str]]:
    """The ``top`` candidates by value (ties: more neighbours, then name), numbered from 1."""
    order = sorted(candidates, key=lambda v: (-round(values.get(v, 0.0), 9), -net.simple.degree(v), net.label(v)))
    return list(enumerate(order[:top] if top else order, 1))


def explain(net: Network, node: str) -> dict[str, Any]:
    """Why a node scores: ``memberships``, ``relations`` by kind, what it ``holds_together``."""
    return {
        "neighbours": net.simple.degree(node),
        "memberships": net.memberships_text(node),
        "relations": net.relations_text(node),
        "holds_together": net.pieces(node),
    }


def centrality(
    store,
    measure: str = "degree",
    top: int | None = 10,
    status: str = "all",
    type_: str | None = None,
    sample: int | None = None,
    seed: int = 0,
) -> Report:
    """The organizations ranked by ``measure`` (degree, betweenness or pagerank), with why.

    ``status`` is the scope (active, planned or all, see :mod:`kg.analytics.network`);
    ``type_`` ranks only organizations of that class (``University``, 高等院校…).

    >>> from kg.analytics.examples import seed_store
    >>> r = centrality(seed_store(), top=3)
    >>> for row in r.tables[0].rows:
    ...     print(row["name"], row["neighbours"])
    西宁经济技术开发区生物科技产业园区 46
    西宁经济技术开发区生物科技产业园区绿色算力党建联盟 7
    红领宁商党建共同体 6
    >>> r.tables[0].rows[2]["memberships"]
    'has members: 4 active'
    >>> top = centrality(seed_store(), "betweenness", top=1, status="active").tables[0].rows[0]
    >>> top["name"]
    '西宁经济技术开发区生物科技产业园区'
    >>> top["holds_together"].split("; ")[:2]
    ['37 parts: 红领宁商党建共同体 and 5 more', '金诃藏药集团有限公司 and 2 more']
    """
    if measure not in MEASURES:
        raise KgError(f"unknown measure {measure!r}; use one of {', '.join(MEASURES)}")
    net = load(store, status)
    values, estimate = scores(net, measure, sample, seed)
    candidates = net.orgs
    if type_:
        allowed = classes_named(type_)
        candidates = [v for v in candidates if set(net.names.by_iri[v].types) & allowed]
    rows = [
        {
            "rank": i,
            "iri": v,
            "name": net.label(v),
            "type": net.type(v),
            "score": round(values.get(v, 0.0), 4),
            **explain(net, v),
        }
        for i, v in rank(net, values, candidates, top)
    ]
    notes = [scope_note(net)]
    if estimate:
        notes.append(estimate)
    if status != "active" and any(d["status"] != "active" for _u, _v, d in net.graph.edges(data=True)):
        notes.append(
            "planned relations add to these scores (the relations column counts them); "
            "--status active for today's network"
        )
    title = f"中心性 / {measure} centrality" + (f" · {type_}" if type_ else "")
    return Report([Table("centrality", _COLUMNS, rows, title=title)], notes)
