"""The named queries behind `kg members`, `memberships`, `chain`, `orgs`, `show`, `stats`.

Each function takes a store (anything with ``run(NamedQuery, **iris) -> rows`` and a
``names`` :class:`~kg.model.names.NameIndex`), resolves the names it is given, and
returns a :class:`~kg.queries.result.Report` of plain rows.
"""

from __future__ import annotations

from typing import Any

from kg.errors import KgError
from kg.model.classes import ancestors, classes_named, label_zh
from kg.model.terms import ORGANIZATION_CLASSES
from kg.queries import texts as q
from kg.queries.result import Report, Table
from kg.queries.rows import MEMBER_COLS, Store, check_status, dedupe, edges_of, number, sorted_rows, subject

__all__ = ["members", "memberships", "chain", "orgs", "show", "stats"]


def members(store: Store, name: str, status: str = "all") -> Report:
    """Members of a community, alliance or organization, with status, date and evidence.

    Notes say when the source declares more members than it names.
    """
    check_status(status)
    org = store.names.resolve(name)
    rows = sorted_rows(dedupe(store.run(q.MEMBERSHIPS, org=org.iri), ("member", "status")), "status", "member_name")
    shown = [r for r in rows if status == "all" or r["status"] == status]
    table = Table("members", ["member_name", "member_en", *MEMBER_COLS], shown, title=f"{org.name} 的成员 / members")
    notes = []
    named_active = len({r["member"] for r in rows if r["status"] == "active"})
    for d in store.run(q.DECLARED_MEMBER_COUNT, org=org.iri):
        total = number(d["value"])
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
    return Report([table], notes, subject(org))


def memberships(store: Store, name: str, status: str = "all") -> Report:
    """What an organization is, will be or was a member of; planned ones are labelled planned."""
    check_status(status)
    ent = store.names.resolve(name)
    rows = sorted_rows(dedupe(store.run(q.MEMBERSHIPS, member=ent.iri), ("org", "status")), "status", "org_name")
    shown = [r for r in rows if status == "all" or r["status"] == status]
    table = Table(
        "memberships", ["org_name", "org_en", *MEMBER_COLS], shown, title=f"{ent.name} 的成员资格 / memberships"
    )
    return Report([table], [], subject(ent))


def chain(store: Store, name: str) -> Report:
    """The ordered chain ``name`` is (or is a stage of), stage by stage."""
    ent = store.names.resolve(name)
    chains = sorted({r["chain"] for r in store.run(q.CHAINS_OF, x=ent.iri)})
    if not chains:
        raise KgError(f"{ent.name} is not a chain nor a stage of one")
    tables = []
    for c in chains:
        rows = sorted_rows(dedupe(store.run(q.CHAIN_STAGES, chain=c), ("position",)), "position")
        tables.append(
            Table(
                "stages",
                ["position", "name", "name_en", "quote", "source"],
                rows,
                title=rows[0]["chain_name"] if rows else c,
            )
        )
    return Report(tables, [], subject(ent))


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
    about = None
    if in_:
        park = store.names.resolve(in_)
        inside = {r["org"] for r in store.run(q.INSIDE, park=park.iri)}
        rows = [r for r in rows if r["org"] in inside]
        about = subject(park)
        notes.append(f"organizations located in, established in or part of {park.name}")
    rows = sorted_rows(rows, "type", "name")
    return Report(
        [Table("orgs", ["name", "name_en", "type", "type_zh"], rows, title="组织 / organizations")], notes, about
    )


def show(store: Store, name: str) -> Report:
    """One entity: types, names, memberships, relations both ways, indicators, each with evidence."""
    ent = store.names.resolve(name)
    types = [{"type": t, "type_zh": label_zh(t)} for t in ent.types]
    names = [{"kind": "name (zh)", "value": ent.name}]
    names += [{"kind": "alias/简称", "value": a} for a in ent.aliases]
    if ent.name_en:
        names.append({"kind": "English (translation)", "value": ent.name_en})
    ms = dedupe(store.run(q.MEMBERSHIPS, member=ent.iri), ("org", "status"))
    hs = dedupe(store.run(q.MEMBERSHIPS, org=ent.iri), ("member", "status"))
    member_rows = [{"relation": "member of", "other": r["org_name"], **{k: r[k] for k in MEMBER_COLS}} for r in ms]
    member_rows += [{"relation": "has member", "other": r["member_name"], **{k: r[k] for k in MEMBER_COLS}}
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
        for d, r in edges_of(store, ent.iri)
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
    rel = sorted_rows(dedupe(rel, ("direction", "relation", "other", "status")), "direction", "relation", "other")
    ind = [{**r, "value": number(r["value"])} for r in store.run(q.INDICATORS, x=ent.iri)]
    ind = sorted_rows(dedupe(ind, ("metric", "value", "period")), "metric", "value")
    member_rows = sorted_rows(member_rows, "relation", "status", "other")
    tables = [
        Table("types", ["type", "type_zh"], types, title="类型 / types"),
        Table("names", ["kind", "value"], names, title="名称 / names"),
        Table("memberships", ["relation", "other", *MEMBER_COLS], member_rows, title="成员关系 / memberships"),
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
    return Report(tables, [], subject(ent))


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
