"""The network an analysis runs on: a store's edges projected for one scope, with names and types.

A *scope* says which relations are in effect: ``active`` (the network today, as the
sources record it), ``planned`` (today's plus the planned ones, as if they had taken
effect) or ``all`` (every recorded relation, ended ones too). ``at`` adds a date (see
:func:`kg.analytics.projection.project`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kg.analytics.projection import period_end, project, undirected
from kg.errors import KgError
from kg.model.names import NameIndex
from kg.model.terms import ORGANIZATION_CLASSES
from kg.queries import texts as q

__all__ = ["Network", "load", "from_rows", "edge_rows", "SCOPES", "MEMBERSHIP", "DATES", "scope_note"]

SCOPES: dict[str, frozenset[str] | None] = {
    "active": frozenset({"active"}),
    "planned": frozenset({"active", "planned"}),
    "all": None,
}

# Membership edges by predicate, and the status each one means.
MEMBERSHIP = {"org:memberOf": "active", "plannedMemberOf": "planned", "formerMemberOf": "ended"}

# The date (park:since) of each dated statement, keyed like the edges of ALL_EDGES.
DATES = q.NamedQuery(
    "statement_dates",
    "SELECT ?s ?predicate ?o ?status ?since WHERE {"
    + q.EDGE_BODY
    + "  ?stmt park:since ?since_ . BIND(STR(?since_) AS ?since)\n}",
    """
MATCH (a:Assertion)-[:SUBJECT]->(s:Resource), (a)-[:OBJECT]->(o:Resource) WHERE a.since IS NOT NULL
RETURN s.iri AS s,
       CASE WHEN a.predicate STARTS WITH 'park:' THEN substring(a.predicate, 5) ELSE a.predicate END AS predicate,
       o.iri AS o, substring(a.status, 5) AS status, a.since AS since
UNION ALL
MATCH (m:Membership)-[:MEMBER]->(s:Resource), (m)-[:ORGANIZATION]->(o:Resource) WHERE m.since IS NOT NULL
RETURN s.iri AS s,
       CASE m.status WHEN 'park:active' THEN 'org:memberOf' WHEN 'park:planned' THEN 'plannedMemberOf'
                     ELSE 'formerMemberOf' END AS predicate,
       o.iri AS o, substring(m.status, 5) AS status, m.since AS since""",
)


def _check_scope(status: str) -> frozenset[str] | None:
    if status not in SCOPES:
        raise KgError(f"unknown status {status!r}; use one of {', '.join(SCOPES)}")
    return SCOPES[status]


@dataclass
class Network:
    """One projection of the graph: ``graph`` (directed, as stated) and ``simple`` (what is measured)."""

    graph: nx.MultiDiGraph
    names: NameIndex
    status: str = "all"
    at: str | None = None
    simple: nx.Graph = field(init=False)
    _orgs: set[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.simple = undirected(self.graph)
        self._orgs = {
            n for n in self.simple if set(getattr(self.names.by_iri.get(n), "types", ())) & ORGANIZATION_CLASSES
        }

    def label(self, iri: str) -> str:
        return self.names.label(iri)

    def type(self, iri: str) -> str:
        ent = self.names.by_iri.get(iri)
        return ", ".join(ent.types) if ent else ""

    def is_org(self, iri: str) -> bool:
        return iri in self._orgs

    @property
    def orgs(self) -> list[str]:
        """The organizations of the network, sorted by IRI."""
        return sorted(self._orgs)

    def edges_of(self, node: str) -> list[tuple[str, str, dict[str, Any]]]:
        """(direction, other, edge data) for each relation touching ``node``: '->' as subject, '<-' as object."""
        out = [("->", o, d) for _s, o, d in self.graph.out_edges(node, data=True)]
        out += [("<-", s, d) for s, _o, d in self.graph.in_edges(node, data=True)]
        return sorted(out, key=lambda e: (e[2]["predicate"], e[0], e[1], e[2]["status"]))

    def groups(self) -> dict[str, list[tuple[str, str]]]:
        """Declared groups: each organization that has members, with its (member, status) pairs."""
        out: dict[str, list[tuple[str, str]]] = {}
        for s, o, d in self.graph.edges(data=True):
            if d["predicate"] in MEMBERSHIP:
                out.setdefault(o, []).append((s, d["status"]))
        return {g: sorted(ms) for g, ms in sorted(out.items())}

    def hub(self, nodes) -> str:
        """The organization (else the entity) of highest degree among ``nodes``; ties by name."""
        nodes = list(nodes)
        pool = [n for n in nodes if self.is_org(n)] or nodes
        return min(pool, key=lambda n: (-self.simple.degree(n), self.label(n)))

    def memberships_text(self, node: str, limit: int = 4) -> str:
        """What ``node`` is a member of, and how many members it has, each with status."""
        edges = self.edges_of(node)
        parts = [
            f"{self.label(o)} ({d['status']})"
            for direction, o, d in edges
            if direction == "->" and d["predicate"] in MEMBERSHIP
        ]
        if len(parts) > limit:
            parts[limit:] = [f"+{len(parts) - limit} more"]
        members = Counter(
            d["status"] for direction, _o, d in edges if direction == "<-" and d["predicate"] in MEMBERSHIP
        )
        text = "member of " + "; ".join(parts) if parts else ""
        if members:
            has = ", ".join(f"{n} {st}" for st, n in sorted(members.items()))
            text = (text + "; " if text else "") + f"has members: {has}"
        return text

    def relations_text(self, node: str, limit: int = 6) -> str:
        """The relations of ``node`` by kind and direction, most frequent first: ``implements→ 23 (5 planned)``."""
        counts: Counter[tuple[str, str]] = Counter()
        other: dict[tuple[str, str], Counter[str]] = {}
        for direction, _o, d in self.edges_of(node):
            if d["predicate"] in MEMBERSHIP:
                continue
            k = (direction, d["predicate"])
            counts[k] += 1
            if d["status"] != "active":
                other.setdefault(k, Counter())[d["status"]] += 1
        items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0]))
        parts = []
        for (direction, p), n in items[:limit]:
            name = f"{p}→" if direction == "->" else f"←{p}"
            st = ", ".join(f"{c} {status}" for status, c in sorted(other.get((direction, p), Counter()).items()))
            parts.append(f"{name} {n}" + (f" ({st})" if st else ""))
        if len(items) > limit:
            parts.append(f"+{len(items) - limit} more kinds")
        return ", ".join(parts)

    def pieces(self, node: str, top: int = 3) -> str:
        """What ``node`` holds together: the parts its own component falls into without it.

        Empty when removing it cuts nothing off (it is not a cut point).
        """
        adj = self.simple.adj
        seen, parts = {node}, []
        for start in adj[node]:  # a breadth-first walk from each neighbour, never through node
            if start in seen:
                continue
            seen.add(start)
            part, i = [start], 0
            while i < len(part):
                for w in adj[part[i]]:
                    if w not in seen:
                        seen.add(w)
                        part.append(w)
                i += 1
            parts.append(part)
        if len(parts) < 2:
            return ""
        big = sorted(((len(p), self.label(self.hub(p))) for p in parts if len(p) > 1), key=lambda x: (-x[0], x[1]))
        text = [f"{name} and {n - 1} more" for n, name in big[:top]]
        if len(big) > top:
            text.append(f"{len(big) - top} more groups")
        singles = len(parts) - len(big)
        if singles:
            text.append(f"{singles} single entit{'y' if singles == 1 else 'ies'}")
        return f"{len(parts)} parts: " + "; ".join(text)


def scope_note(net: Network) -> str:
    """A note saying which relations the numbers count."""
    what = {
        "active": "active relations only (the network today)",
        "planned": "active and planned relations "
        "(as if the plans had taken effect; planned ones stay labelled planned)",
        "all": "every recorded relation (active, planned and ended)",
    }[net.status]
    return f"counts {what}" + (f", in effect at {net.at}" if net.at else "")


def edge_rows(store, dated: bool = False) -> list[dict[str, Any]]:
    """The rows of :data:`~kg.queries.texts.ALL_EDGES`; ``dated`` adds each statement's ``since``.

    ``store`` is anything with ``run(NamedQuery) -> rows`` and ``names`` (the embedded store
    or the Bolt backend).
    """
    rows = store.run(q.ALL_EDGES)
    if not dated:
        return rows
    dates = {
        (r["s"], r["predicate"], r["o"], r["status"]): str(r["since"])
        for r in store.run(DATES)
        if r["since"] not in (None, "")
    }
    return [{**r, "since": dates.get((r["s"], r["predicate"], r["o"], r["status"]))} for r in rows]


def from_rows(rows: list[dict[str, Any]], names: NameIndex, status: str = "all", at: str | None = None) -> Network:
    """The network of edge ``rows`` for a scope (and date), with every organization of ``names`` as a node."""
    statuses = _check_scope(status)
    if at is not None:
        period_end(at)  # a readable error for a malformed date
    orgs = sorted(iri for iri, e in names.by_iri.items() if set(e.types) & ORGANIZATION_CLASSES)
    return Network(project(rows, statuses, at=at, nodes=orgs), names, status, at)


def load(store, status: str = "all", at: str | None = None) -> Network:
    """The network of ``store`` for a scope (see the module docstring), with every organization as a node.

    >>> from kg.analytics.examples import seed_store
    >>> net = load(seed_store(), "active")
    >>> uni = seed_store().names.resolve("青海大学").iri
    >>> uni in net.simple, net.simple.degree(uni), load(seed_store(), "planned").simple.degree(uni)
    (True, 0, 1)
    """
    return from_rows(edge_rows(store, dated=at is not None), store.names, status, at)
