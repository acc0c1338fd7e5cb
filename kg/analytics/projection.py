"""The projection of the RDF graph onto a networkx graph: which statements become edges.

These rules are the one definition shared by ``kg path``, ``kg analyze`` and ``kg view``:

* **Nodes** are entities only. Evidence, indicator, membership, assertion, chain-stage and
  source-document nodes never become nodes; ``nodes`` adds entities that have no edge
  (``kg analyze`` adds every organization, so one whose only relations are planned shows
  as unconnected in today's network instead of vanishing).
* **Edges** are relation assertions with an entity object (``rdf:subject → rdf:object``;
  text-valued relations such as ``distinction`` are not edges), memberships (member →
  organization, relation ``org:memberOf``, ``plannedMemberOf`` or ``formerMemberOf`` by
  status) and links between consecutive stages of a chain (``nextInChain``).
* Edges are **directed** as stated and keep ``predicate``, ``status``, the evidence
  ``quote``/``source`` and, when the row has one, ``since``. One statement backed by
  several evidence quotes is one edge; two relations between the same pair are two edges.
* **Status**: ``statuses`` keeps only edges of those statuses (``None`` keeps all). A
  planned edge keeps the status ``planned`` in every graph; it is never relabelled active.
* **Dates** (``at``): only statements in effect at that date — an active one dated on or
  before it (an undated active statement is taken as in effect), a planned one dated on
  or before it (an undated plan is not). A date is a period (``2024`` is the whole year):
  a statement counts when its period ends by the end of ``at``'s period. Ended statements
  are left out, since when they ended is not recorded.
* **Analytics** measure :func:`undirected`: one undirected edge per connected pair, the
  direction of a relation being a matter of phrasing (A 签约 B), with ``weight`` = the
  number of relations between the pair. Nodes and edges are added in sorted order so
  that every backend gives the same graph, and the same seeded results.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from typing import Any

import networkx as nx

from kg.errors import KgError

__all__ = ["project", "undirected", "in_effect", "period_end"]

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def period_end(date: str) -> str:
    """The last day of the period a date names, as ``YYYY-MM-DD``.

    >>> period_end("2024"), period_end("2024-02"), period_end("2024-06-15")
    ('2024-12-31', '2024-02-29', '2024-06-15')
    """
    m = _DATE.match(str(date).strip())
    if not m or not 1 <= int(m[2] or 1) <= 12:
        raise KgError(f"not a date: {date!r}; write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m[1]), m[2], m[3]
    if day:
        return f"{year:04d}-{month}-{day}"
    if month:
        return f"{year:04d}-{month}-{calendar.monthrange(year, int(month))[1]:02d}"
    return f"{year:04d}-12-31"


def in_effect(status: str, since: str | None, at: str) -> bool:
    """Whether a statement of ``status`` dated ``since`` is in effect at ``at`` (rules above).

    >>> in_effect("active", None, "2020"), in_effect("planned", None, "2030")
    (True, False)
    >>> in_effect("planned", "2024", "2024-06"), in_effect("planned", "2024", "2024")
    (False, True)
    """
    if status == "ended":
        return False
    if not since:
        return status == "active"
    return period_end(since) <= period_end(at)


def project(
    edge_rows: Iterable[dict[str, Any]],
    statuses: set[str] | frozenset[str] | None = None,
    *,
    at: str | None = None,
    nodes: Iterable[str] = (),
) -> nx.MultiDiGraph:
    """A MultiDiGraph of entities from edge rows (``s, predicate, o, status, quote, source[, since]``).

    ``statuses`` and ``at`` select the edges and ``nodes`` adds entities without one (see
    the module docstring). Edges are keyed ``(predicate, status)``.

    >>> rows = [{"s": "a", "predicate": "org:memberOf", "o": "g", "status": "active", "quote": "q1", "source": "x.txt"},
    ...         {"s": "b", "predicate": "plannedMemberOf", "o": "g", "status": "planned", "quote": "q2",
    ...          "source": "x.txt", "since": "2025"}]
    >>> sorted(project(rows).edges(keys=True))
    [('a', 'g', ('org:memberOf', 'active')), ('b', 'g', ('plannedMemberOf', 'planned'))]
    >>> sorted(project(rows, {"active"}, nodes=["b"]).nodes)
    ['a', 'b', 'g']
    >>> project(rows, at="2024").number_of_edges(), project(rows, at="2025").number_of_edges()
    (1, 2)
    """
    g = nx.MultiDiGraph()
    g.add_nodes_from(nodes)
    for r in edge_rows:
        if statuses is not None and r["status"] not in statuses:
            continue
        if at is not None and not in_effect(r["status"], r.get("since"), at):
            continue
        key = (r["predicate"], r["status"])
        if g.has_edge(r["s"], r["o"], key):
            continue
        g.add_edge(
            r["s"],
            r["o"],
            key=key,
            predicate=r["predicate"],
            status=r["status"],
            quote=r["quote"],
            source=r["source"],
            since=r.get("since"),
        )
    return g


def undirected(g: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph analytics measure: ``weight`` = relations between the pair.

    >>> g = nx.MultiDiGraph([("b", "a", "x"), ("a", "b", "y"), ("c", "a", "x")])
    >>> sorted(undirected(g).edges(data="weight"))
    [('a', 'b', 2), ('a', 'c', 1)]
    """
    weights: dict[tuple[str, str], int] = {}
    for u, v in g.edges():
        pair = (u, v) if u <= v else (v, u)
        weights[pair] = weights.get(pair, 0) + 1
    s = nx.Graph()
    s.add_nodes_from(sorted(g.nodes))
    s.add_weighted_edges_from((u, v, w) for (u, v), w in sorted(weights.items()))
    return s
