"""The relation queries behind `kg related` and `kg path`: neighbours by depth, the shortest chain between two."""

from __future__ import annotations

import re
from typing import Any

from kg.errors import KgError
from kg.model.names import Entity
from kg.model.terms import RELATIONS
from kg.queries.result import Report, Table
from kg.queries.rows import Store, check_status, dedupe, edges_of, sorted_rows, subject

__all__ = ["related", "path", "paths_report", "EDGE_PREDICATES"]


def _short(predicate: str) -> str:
    return predicate.removeprefix("org:")


# what an edge between two entities can be: a relation, a membership by status, a chain link
EDGE_PREDICATES = RELATIONS | {"memberOf", "plannedMemberOf", "formerMemberOf", "nextInChain"}


def _check_predicates(predicates: tuple[str, ...]) -> set[str]:
    """The local names of ``predicates``; :class:`KgError` naming the closest ones for one that is not a relation."""
    import difflib

    wanted = {re.sub(r"^(?:org|park):", "", p.strip(), flags=re.IGNORECASE) for p in predicates}
    folded = {p.lower(): p for p in EDGE_PREDICATES}
    out = set()
    for p in sorted(wanted):
        if p.lower() in folded:
            out.add(folded[p.lower()])
            continue
        close = [folded[c] for c in difflib.get_close_matches(p.lower(), list(folded), n=3, cutoff=0.5)]
        hint = f"did you mean: {', '.join(close)}" if close else "known: " + ", ".join(sorted(EDGE_PREDICATES))
        raise KgError(f"unknown predicate {p!r}; {hint}")
    return out


def related(store: Store, name: str, depth: int = 1, predicates: tuple[str, ...] = ()) -> Report:
    """Neighbours up to ``depth`` hops away, with the relation, its direction, status and evidence."""
    if depth < 1:
        raise KgError("--depth must be at least 1")
    wanted = _check_predicates(predicates)
    start = store.names.resolve(name)
    seen = {start.iri}
    frontier = [start.iri]
    rows: list[dict[str, Any]] = []
    hidden: dict[tuple[str, str], int] = {}  # planned or ended variants of a wanted predicate (plannedMemberOf)
    for level in range(1, depth + 1):
        nxt: list[str] = []
        for node in frontier:
            for direction, r in edges_of(store, node):
                if wanted and (short := _short(r["predicate"])) not in wanted:
                    if r["status"] != "active" and any(short.lower().endswith(w.lower()) for w in wanted):
                        hidden[short, r["status"]] = hidden.get((short, r["status"]), 0) + 1
                    continue
                other = r["o"] if direction == "->" else r["s"]
                rows.append(
                    {
                        "depth": level,
                        "from": store.names.label(node),
                        "direction": direction,
                        "relation": r["predicate"],
                        "entity": store.names.label(other),
                        "iri": other,
                        "status": r["status"],
                        "quote": r["quote"],
                        "source": r["source"],
                    }
                )
                if other not in seen:
                    seen.add(other)
                    nxt.append(other)
        frontier = nxt
    rows = sorted_rows(
        dedupe(rows, ("from", "direction", "relation", "iri", "status")),
        "depth",
        "from",
        "direction",
        "relation",
        "entity",
    )
    table = Table(
        "related",
        ["depth", "from", "direction", "relation", "entity", "status", "quote", "source"],
        rows,
        title=f"{start.name} 的关联 / related",
    )
    depth_arg = f" --depth {depth}" if depth > 1 else ""
    notes = [f"not shown: {n} {status} {p} relation(s); see with: kg related {name}{depth_arg} --predicate {p}"
             for (p, status), n in sorted(hidden.items())]
    return Report([table], notes, subject(start))


def path(store: Store, a: str, b: str, status: str = "all") -> Report:
    """The shortest chain of relations between two entities, each hop with its evidence.

    ``status='active'`` ignores planned and ended relations; by default every relation
    counts and each hop says its status. Every shortest path, or every path up to a length,
    is :func:`kg.analytics.every_path` (it needs the networkx projection).
    """
    check_status(status)
    src, dst = store.names.resolve(a), store.names.resolve(b)
    statuses = None if status == "all" else {status}
    from kg.queries.shortest import shortest_hops  # a BFS over the edge ends: no networkx, no full projection

    hops = shortest_hops(store, src.iri, dst.iri, statuses)
    if hops is None:
        return Report(
            [Table("path", [], [])],
            [
                f"no path between {src.name} and {dst.name}"
                + ("" if status == "all" else f" using {status} relations only")
            ],
            subject(src),
        )
    rows = [
        {
            "step": i,
            "from": store.names.label(h["s"]),
            "relation": h["predicate"],
            "to": store.names.label(h["o"]),
            **{k: h[k] for k in ("status", "quote", "source")},
        }
        for i, h in enumerate(hops, 1)
    ]
    notes = []
    if any(r["status"] != "active" for r in rows):
        notes.append("this path goes through planned (not yet active) relations; --status active for active ones only")
    return Report(
        [
            Table(
                "path",
                ["step", "from", "relation", "to", "status", "quote", "source"],
                rows,
                title=f"{src.name} → {dst.name}",
            )
        ],
        notes,
        subject(src),
    )


def paths_report(
    store: Store, src: Entity, dst: Entity, paths: list, status: str, max_len: int | None, limit: int
) -> Report:
    """``kg path --all``: one row per hop, numbered by path (the paths come from :func:`kg.analytics.every_path`)."""
    notes = []
    if len(paths) > limit:
        paths = paths[:limit]
        notes.append(
            f"more than {limit} paths; showing the first {limit} (shortest first)"
            + ("; lower --max-len" if max_len else "")
        )
    rows = [
        {
            "path": n,
            "step": i,
            "from": store.names.label(h["s"]),
            "relation": h["predicate"],
            "to": store.names.label(h["o"]),
            **{k: h[k] for k in ("status", "quote", "source")},
        }
        for n, hops in enumerate(paths, 1)
        for i, h in enumerate(hops, 1)
    ]
    if not paths:
        within = f" of at most {max_len} hops" if max_len else ""
        notes.append(
            f"no path{within} between {src.name} and {dst.name}"
            + ("" if status == "all" else f" using {status} relations only")
        )
    else:
        notes.insert(
            0,
            f"{len(paths)} path(s), "
            + ("the shortest ones" if max_len is None else f"of at most {max_len} hops, shortest first"),
        )
    planned = [n for n, hops in enumerate(paths, 1) if any(h["status"] != "active" for h in hops)]
    if planned:
        notes.append(
            f"path(s) {', '.join(map(str, planned))} go through planned (not yet active) relations; "
            "--status active for active ones only"
        )
    title = f"{src.name} → {dst.name}" if rows else ""
    return Report(
        [Table("paths", ["path", "step", "from", "relation", "to", "status", "quote", "source"], rows, title=title)],
        notes,
        subject(src),
    )
