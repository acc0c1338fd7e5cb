"""The named queries behind `kg members`, `memberships`, `related`, `path`, `chain`, `orgs`, `show`, `stats`.

Each function takes a store (anything with ``run(NamedQuery, **iris) -> rows`` and a
``names`` :class:`~kg.model.names.NameIndex`), resolves the names it is given, and
returns a :class:`~kg.queries.result.Report` of plain rows.
"""

from __future__ import annotations

import json
import re
from typing import Any, Protocol

from kg.errors import KgError
from kg.model.classes import ancestors, classes_named, label_zh
from kg.model.names import Entity, NameIndex
from kg.model.terms import ORGANIZATION_CLASSES, RELATIONS
from kg.queries import texts as q
from kg.queries.result import Report, Table

__all__ = ["members", "memberships", "related", "path", "chain", "orgs", "show", "stats", "STATUS_CHOICES"]

STATUS_CHOICES = ("active", "planned", "ended", "all")


class Store(Protocol):
    names: NameIndex

    def run(self, query: q.NamedQuery, **iris: str) -> list[dict[str, Any]]: ...


def _subject(ent: Entity) -> dict[str, Any]:
    return {
        "iri": ent.iri,
        "name": ent.name,
        "name_en": ent.name_en,
        "aliases": list(ent.aliases),
        "types": list(ent.types),
        "matched_by": ent.matched_by,
    }


def _order(r: dict[str, Any]) -> str:
    return json.dumps(r, sort_keys=True, default=str, ensure_ascii=False)


def _dedupe(rows: list[dict[str, Any]], key: tuple[str, ...]) -> list[dict[str, Any]]:
    """One row per ``key``, in a backend-independent order; extra evidence goes to ``more_evidence``."""
    seen: dict[tuple, dict[str, Any]] = {}
    for r in sorted(rows, key=_order):
        k = tuple(r.get(c) for c in key)
        if k in seen:
            seen[k].setdefault("more_evidence", []).append(r.get("quote"))
        else:
            seen[k] = dict(r)
    return list(seen.values())


def _sorted(rows: list[dict[str, Any]], *cols: str) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: tuple("" if r.get(c) is None else r[c] for c in cols))


def _number(v: Any) -> int | float:
    """A decimal as a number, whether the backend sent a number or its lexical text."""
    f = float(v)
    return int(f) if f.is_integer() else f


def _check_status(status: str) -> None:
    if status not in STATUS_CHOICES:
        raise KgError(f"unknown status {status!r}; use one of {', '.join(STATUS_CHOICES)}")


_MEMBER_COLS = ["status", "since", "role", "quote", "source"]


def members(store: Store, name: str, status: str = "all") -> Report:
    """Members of a community, alliance or organization, with status, date and evidence.

    Notes say when the source declares more members than it names.
    """
    _check_status(status)
    org = store.names.resolve(name)
    rows = _sorted(_dedupe(store.run(q.MEMBERSHIPS, org=org.iri), ("member", "status")), "status", "member_name")
    shown = [r for r in rows if status == "all" or r["status"] == status]
    table = Table("members", ["member_name", "member_en", *_MEMBER_COLS], shown, title=f"{org.name} 的成员 / members")
    notes = []
    named_active = len({r["member"] for r in rows if r["status"] == "active"})
    for d in store.run(q.DECLARED_MEMBER_COUNT, org=org.iri):
        total = _number(d["value"])
        notes.append(
            f"the source gives {total} member units in total ({total}{d['unit']}成员单位) and names {named_active}; "
            f"the other {max(total - named_active, 0)} are not named — evidence: “{d['quote']}” ({d['source']})"
        )
    planned = sum(r["status"] == "planned" for r in rows)
    if status == "active" and planned:
        notes.append(f"{planned} planned member(s) not shown; use --status planned or all")
    if not rows:  # 青海大学 has no members, but is (or will be) a member of something: say where to look
        bodies = {r["org"] for r in store.run(q.MEMBERSHIPS, member=org.iri)}
        if bodies:
            notes.append(
                f"{org.name} has no members; it is (or will be) a member of {len(bodies)} organization(s): "
                f"kg memberships {org.name}"
            )
    return Report([table], notes, _subject(org))


def memberships(store: Store, name: str, status: str = "all") -> Report:
    """What an organization is, will be or was a member of; planned ones are labelled planned."""
    _check_status(status)
    ent = store.names.resolve(name)
    rows = _sorted(_dedupe(store.run(q.MEMBERSHIPS, member=ent.iri), ("org", "status")), "status", "org_name")
    shown = [r for r in rows if status == "all" or r["status"] == status]
    table = Table(
        "memberships", ["org_name", "org_en", *_MEMBER_COLS], shown, title=f"{ent.name} 的成员资格 / memberships"
    )
    return Report([table], [], _subject(ent))


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


def _edges_of(store: Store, iri: str) -> list[tuple[str, dict[str, Any]]]:
    """(direction, row) for every edge touching ``iri``: '->' outgoing, '<-' incoming."""
    out = [("->", r) for r in store.run(q.EDGES_FROM, s=iri)]
    out += [("<-", r) for r in store.run(q.EDGES_TO, o=iri)]
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
            for direction, r in _edges_of(store, node):
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
    rows = _sorted(
        _dedupe(rows, ("from", "direction", "relation", "iri", "status")),
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
    return Report([table], notes, _subject(start))


def path(
    store: Store,
    a: str,
    b: str,
    status: str = "all",
    all_paths: bool = False,
    max_len: int | None = None,
    limit: int = 50,
) -> Report:
    """The shortest chain of relations between two entities, each hop with its evidence.

    ``status='active'`` ignores planned and ended relations; by default every relation
    counts and each hop says its status. ``all_paths`` lists every shortest path, and
    ``max_len`` every path of at most that many hops (at most ``limit`` paths).
    """
    _check_status(status)
    src, dst = store.names.resolve(a), store.names.resolve(b)
    statuses = None if status == "all" else {status}
    if all_paths or max_len is not None:
        from kg import analytics

        graph = analytics.project(store.run(q.ALL_EDGES), statuses=statuses)
        return _paths(
            store,
            src,
            dst,
            analytics.all_paths(graph, src.iri, dst.iri, max_len=max_len, limit=limit + 1),
            status,
            max_len,
            limit,
        )
    from kg.queries.shortest import shortest_hops  # a BFS over the edge ends: no networkx, no full projection

    hops = shortest_hops(store, src.iri, dst.iri, statuses)
    if hops is None:
        return Report(
            [Table("path", [], [])],
            [
                f"no path between {src.name} and {dst.name}"
                + ("" if status == "all" else f" using {status} relations only")
            ],
            _subject(src),
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
        _subject(src),
    )


def _paths(store: Store, src: Entity, dst: Entity, paths: list, status: str, max_len: int | None, limit: int) -> Report:
    """``kg path --all``: one row per hop, numbered by path."""
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
        _subject(src),
    )


def chain(store: Store, name: str) -> Report:
    """The ordered chain ``name`` is (or is a stage of), stage by stage."""
    ent = store.names.resolve(name)
    chains = sorted({r["chain"] for r in store.run(q.CHAINS_OF, x=ent.iri)})
    if not chains:
        raise KgError(f"{ent.name} is not a chain nor a stage of one")
    tables = []
    for c in chains:
        rows = _sorted(_dedupe(store.run(q.CHAIN_STAGES, chain=c), ("position",)), "position")
        tables.append(
            Table(
                "stages",
                ["position", "name", "name_en", "quote", "source"],
                rows,
                title=rows[0]["chain_name"] if rows else c,
            )
        )
    return Report(tables, [], _subject(ent))


def _local(type_: str) -> str:
    return type_.rsplit("#", 1)[-1].rsplit(":", 1)[-1]


def _most_specific(types: set[str]) -> list[str]:
    return sorted(t for t in types if not any(t != u and t in ancestors(u) for u in types))


def orgs(store: Store, type_: str | None = None, in_: str | None = None) -> Report:
    """Organizations with their most specific type and Chinese/English names, optionally by type or park."""
    by_org: dict[str, dict[str, Any]] = {}
    for r in store.run(q.ORGS):
        row = by_org.setdefault(r["org"], {"org": r["org"], "name": r["name"], "name_en": r["name_en"], "types": set()})
        if _local(r["type"]) in ORGANIZATION_CLASSES:
            row["types"].add(_local(r["type"]))
    rows = [
        {"org": r["org"], "name": r["name"], "name_en": r["name_en"], "type": t, "type_zh": label_zh(t)}
        for r in by_org.values()
        for t in _most_specific(r["types"])
    ]
    notes = []
    if type_:
        allowed = classes_named(type_)
        rows = [r for r in rows if r["type"] in allowed]
    subject = None
    if in_:
        park = store.names.resolve(in_)
        inside = {r["org"] for r in store.run(q.INSIDE, park=park.iri)}
        rows = [r for r in rows if r["org"] in inside]
        subject = _subject(park)
        notes.append(f"organizations located in, established in or part of {park.name}")
    rows = _sorted(rows, "type", "name")
    return Report(
        [Table("orgs", ["name", "name_en", "type", "type_zh"], rows, title="组织 / organizations")], notes, subject
    )


def show(store: Store, name: str) -> Report:
    """One entity: types, names, memberships, relations both ways, indicators, each with evidence."""
    ent = store.names.resolve(name)
    types = [{"type": t, "type_zh": label_zh(t)} for t in ent.types]
    names = [{"kind": "name (zh)", "value": ent.name}]
    names += [{"kind": "alias/简称", "value": a} for a in ent.aliases]
    if ent.name_en:
        names.append({"kind": "English (translation)", "value": ent.name_en})
    ms = _dedupe(store.run(q.MEMBERSHIPS, member=ent.iri), ("org", "status"))
    hs = _dedupe(store.run(q.MEMBERSHIPS, org=ent.iri), ("member", "status"))
    member_rows = [{"relation": "member of", "other": r["org_name"], **{k: r[k] for k in _MEMBER_COLS}} for r in ms]
    member_rows += [{"relation": "has member", "other": r["member_name"], **{k: r[k] for k in _MEMBER_COLS}}
                    for r in hs]
    rel = [
        {
            "direction": d,
            "relation": r["predicate"],
            "other": store.names.label(r["o"] if d == "->" else r["s"]),
            "status": r["status"],
            "quote": r["quote"],
            "source": r["source"],
        }
        for d, r in _edges_of(store, ent.iri)
        if r["predicate"] not in ("org:memberOf", "plannedMemberOf", "formerMemberOf")
    ]
    rel += [
        {
            "direction": "->",
            "relation": r["predicate"],
            "other": r["value"],
            **{k: r[k] for k in ("status", "quote", "source")},
        }
        for r in store.run(q.LITERAL_FACTS, x=ent.iri)
    ]
    rel = _sorted(_dedupe(rel, ("direction", "relation", "other", "status")), "direction", "relation", "other")
    ind = [{**r, "value": _number(r["value"])} for r in store.run(q.INDICATORS, x=ent.iri)]
    ind = _sorted(_dedupe(ind, ("metric", "value", "period")), "metric", "value")
    member_rows = _sorted(member_rows, "relation", "status", "other")
    tables = [
        Table("types", ["type", "type_zh"], types, title="类型 / types"),
        Table("names", ["kind", "value"], names, title="名称 / names"),
        Table("memberships", ["relation", "other", *_MEMBER_COLS], member_rows, title="成员关系 / memberships"),
        Table(
            "relations", ["direction", "relation", "other", "status", "quote", "source"], rel, title="关系 / relations"
        ),
        Table(
            "indicators",
            ["metric", "metric_en", "qualifier", "value", "unit", "period", "quote", "source"],
            ind,
            title="指标 / indicators",
        ),
    ]
    return Report(tables, [], _subject(ent))


def stats(store: Store) -> Report:
    """Counts by class and by predicate (the ontology's own graph excluded); predicates as prefixed names."""
    from kg.pg import compact

    predicates = [{**r, "predicate": compact(str(r.get("predicate", "")))} for r in store.run(q.PREDICATE_COUNTS)]
    return Report(
        [
            Table("classes", ["class", "label_zh", "count"], store.run(q.CLASS_COUNTS), title="按类 / by class"),
            Table("predicates", ["predicate", "count"], predicates, title="按谓词 / by predicate"),
        ]
    )
