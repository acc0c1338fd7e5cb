"""Which items of a reviewed candidates file ``kg ingest`` adds, and as what.

:func:`select` keeps the accepted items (with ``accept_all`` the candidates too; rejected
ones never) and the entities they name; :func:`resolve` maps a new entity whose name or
alias the graph already has to that entity; :func:`final_items` drops the review keys,
applies the mapping and leaves out statements the facts already hold.
Items are the candidates file's mappings; ``where(item)`` gives the line an item starts on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.errors import KgError, shorten
from kg.facts.fields import CANDIDATE_FIELDS
from kg.text import name_key

__all__ = ["SECTIONS", "select", "resolve", "final_items"]

SECTIONS = ("entities", "memberships", "relations", "chains", "indicators")
_REFS = {
    "memberships": ("member", "organization"),
    "relations": ("subject", "object"),
    "indicators": ("about",),
    "chains": ("chain",),
}
Where = Callable[[Any], int]


def select(
    data: dict[str, Any], accept_all: bool, path: Path, where: Where
) -> tuple[dict[str, list[dict]], dict[str, int]]:
    """The items to ingest per section, and how many were left out and why."""
    keep_states = {"accepted", None} | ({"candidate"} if accept_all else set())
    skipped = {"rejected": 0, "not accepted": 0}
    chosen: dict[str, list[dict]] = {}
    for sec in SECTIONS:
        chosen[sec] = []
        for item in data.get(sec) or []:
            state = item.get("review")
            if state in keep_states:
                chosen[sec].append(item)
            else:
                skipped["rejected" if state == "rejected" else "not accepted"] += 1
    all_ents = {e["id"]: e for e in data.get("entities") or []}
    chosen_ids = {e["id"] for e in chosen["entities"]}
    for sec, keys in _REFS.items():
        for item in chosen[sec]:
            refs = [item.get(k) for k in keys] + (list(item.get("stages", [])) if sec == "chains" else [])
            for ref in refs:
                if ref in all_ents and ref not in chosen_ids:
                    if all_ents[ref].get("review") == "rejected":
                        raise KgError(
                            f"{path}:{where(item)}: this {sec} item refers to rejected entity {shorten(ref, 60)!r}; "
                            "reject the item too or accept the entity"
                        )
                    chosen["entities"].append(all_ents[ref])  # an accepted statement brings its entities
                    chosen_ids.add(ref)
                    skipped["not accepted"] -= 1
    return chosen, skipped


def resolve(chosen: dict[str, list[dict]], facts, renamed: dict[str, str], path: Path, where: Where) -> dict[str, str]:
    """Map candidate entity ids to known ids where a name or alias is already the graph's.

    A candidate whose id is taken by a known entity of another name is given a free id
    (recorded in ``renamed``).
    """
    by_key: dict[str, list[str]] = {}
    for eid, e in (facts.entities if facts else {}).items():
        for n in (e["name"], *e.get("aliases", [])):
            ids = by_key.setdefault(name_key(n), [])
            if eid not in ids:
                ids.append(eid)
    known_ids = set(facts.entities) if facts else set()
    mapping: dict[str, str] = {}
    seen_here: dict[str, str] = {}
    for e in chosen["entities"]:
        eid = e["id"]
        hits: list[str] = []
        for n in (e["name"], *e.get("aliases", [])):
            for h in by_key.get(name_key(n), []):
                if h not in hits:
                    hits.append(h)
        if len(hits) > 1:
            by_name = [h for h in by_key.get(name_key(e["name"]), []) if h == eid] or by_key.get(
                name_key(e["name"]), []
            )
            hits = by_name[:1] if len(by_name) == 1 else hits
        if len(hits) > 1:
            raise KgError(
                f"{path}:{where(e)}: candidate entity {eid} ({shorten(e['name'], 60)}) matches several known "
                f"entities: {', '.join(hits)}; set its id to the right one"
            )
        if hits:
            mapping[eid] = hits[0]
        elif eid in known_ids:  # the id is taken by a different entity: give this one a free id
            n = 2
            while f"{eid}-{n}" in known_ids or f"{eid}-{n}" in {x["id"] for x in chosen["entities"]}:
                n += 1
            renamed[eid] = f"{eid}-{n}"
        elif name_key(e["name"]) in seen_here:
            mapping[eid] = seen_here[name_key(e["name"])]
        else:
            seen_here[name_key(e["name"])] = eid
    return mapping


def _statement_key(sec: str, item: dict) -> tuple:
    if sec == "memberships":
        return (item["member"], item["organization"], item["status"])
    if sec == "relations":
        return (item["subject"], item["predicate"], item.get("object"), item.get("value"), item.get("status", "active"))
    if sec == "indicators":
        return (item["about"], float(item["value"]), item["unit"])
    if sec == "chains":
        return (item["chain"],)
    return (item["id"],)


def final_items(
    chosen, mapping: dict[str, str], facts, renamed: dict[str, str]
) -> tuple[dict[str, list[dict]], dict[str, int]]:
    existing: set[tuple] = set()
    for ff in facts.files if facts else []:
        for sec in SECTIONS[1:]:
            existing |= {(sec, *_statement_key(sec, it)) for it in getattr(ff, sec)}
    out: dict[str, list[dict]] = {sec: [] for sec in SECTIONS}
    dup = 0
    ref = {**renamed, **mapping}
    for e in chosen["entities"]:
        if e["id"] in mapping:
            continue
        new = {k: v for k, v in e.items() if k not in CANDIDATE_FIELDS}
        new["id"] = ref.get(new["id"], new["id"])
        out["entities"].append(new)
    for sec in SECTIONS[1:]:
        for item in chosen[sec]:
            new = {k: v for k, v in item.items() if k not in CANDIDATE_FIELDS}
            for k in _REFS[sec]:
                if k in new:
                    new[k] = ref.get(new[k], new[k])
            if sec == "chains":
                new["stages"] = [ref.get(s, s) for s in new["stages"]]
            if (
                sec == "memberships"
                and new["member"] == new["organization"]
                or sec == "relations"
                and new.get("object") == new["subject"]
            ):
                dup += 1
                continue
            k = (sec, *_statement_key(sec, new))
            if k in existing:
                dup += 1
                continue
            existing.add(k)
            out[sec].append(new)
    return out, {"already in the facts": dup}
