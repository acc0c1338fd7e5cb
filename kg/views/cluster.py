"""Big views start as a summary: entities grouped by park (or by type), groups expand on click.

Above :data:`COLLAPSE` entities a view opens collapsed. With two parks or more, each entity
joins the park nearest to it (fewest relations, either direction; a tie goes to the park with
more relations, then the first IRI); entities no park reaches, and every entity of a view
with fewer than two parks, are grouped by type (types with fewer than :data:`MIN_GROUP` of
them stay single entities). A park group of more than :data:`SUBGROUP`
entities is split again by type (types with at least :data:`MIN_GROUP` entities there), so
opening it shows the park, small types as entities and large ones as groups. The page
(``page.js``) draws each closed group as one node sized by its count, joins groups by one
edge per pair and status (planned dashed) labelled with the number of relations, and expands
a group on click.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict, deque
from collections.abc import Mapping
from typing import Any

from kg.model.classes import ancestors
from kg.views.style import class_style, node_label

__all__ = ["COLLAPSE", "MIN_GROUP", "SPACING", "SUBGROUP", "group", "nearest_park", "place"]

COLLAPSE = 300  # entities; a larger view starts as a summary
SUBGROUP = 150  # entities; a larger park group is split by type
MIN_GROUP = 5  # entities of one type in a park before they get a group of their own
SPACING = 150.0  # pixels; the room of one item in an opened group (a summary item gets three times as much)


def nearest_park(g, parks: list[str]) -> dict[str, str]:
    """The nearest park of every node a park reaches (breadth-first from all parks at once)."""
    adj: dict[str, set[str]] = defaultdict(set)
    for a, b in g.edges():
        adj[a].add(b)
        adj[b].add(a)
    home = {p: p for p in parks}
    todo = deque(parks)
    while todo:
        v = todo.popleft()
        for w in sorted(adj[v]):
            if w not in home:
                home[w] = home[v]
                todo.append(w)
    return home


def _size(count: int) -> float:
    return float(min(80.0, 16.0 + 2.0 * math.sqrt(count)))


def _cluster(
    cid: str, parent: str | None, label: str, label_en: str, members: list[dict[str, Any]], colour: str, shape: str
) -> dict[str, Any]:
    n = len(members)
    x = sum(m["x"] for m in members) / n
    y = sum(m["y"] for m in members) / n
    return {
        "id": cid,
        "parent": parent,
        "label_zh": f"{label}\n({n:,})",
        "label_en": f"{label_en}\n({n:,})",
        "name": label,
        "count": n,
        "x": round(x, 1),
        "y": round(y, 1),
        "size": _size(n),
        "shape": shape,
        "color": {"background": colour, "border": "#333333"},
        "borderWidth": 2,
    }


def group(g, nodes: list[dict[str, Any]], classes: Mapping[str, tuple[str, str]]) -> list[dict[str, Any]]:
    """Give each node dict a ``cluster`` (its innermost group) and return the groups, outermost first."""
    parks = sorted(
        (n for n in nodes if "IndustrialPark" in ancestors(n["group"])), key=lambda n: (-n["degree"], n["id"])
    )
    home = nearest_park(g, [p["id"] for p in parks]) if len(parks) >= 2 else {}
    by_group: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for n in nodes:
        by_group[home.get(n["id"])].append(n)
    out: list[dict[str, Any]] = []
    for p in parks if home else ():
        members = by_group[p["id"]]
        pid = "cluster:" + p["id"]
        colour, shape = class_style(p["group"])
        name = p["name"]
        out.append(_cluster(pid, None, node_label(name, hub=True), p["name_en"] or name, members, colour, shape))
        # types of a big park with MIN_GROUP entities, not all of it
        limit = len(members) if len(members) > SUBGROUP else 0
        out += _by_type(members, classes, pid, lambda c, limit=limit: MIN_GROUP <= c < limit, skip=p["id"])
    out += _by_type(by_group[None], classes, None, lambda c: c >= MIN_GROUP)
    return out


def _by_type(
    members: list[dict[str, Any]],
    classes: Mapping[str, tuple[str, str]],
    parent: str | None,
    grouped,
    skip: str | None = None,
) -> list[dict[str, Any]]:
    """Type groups of ``members`` (those whose count passes ``grouped``); the others join ``parent``."""
    counts = Counter(m["group"] for m in members if m["id"] != skip)
    types = {t for t, c in counts.items() if grouped(c)}
    out = []
    for t in sorted(types, key=lambda t: (-counts[t], t)):
        cid = f"{parent or 'cluster:'}|{t}"
        zh, en = classes.get(t, (t, t))
        colour, shape = class_style(t)
        mine = [m for m in members if m["group"] == t and m["id"] != skip]
        for m in mine:
            m["cluster"] = cid
        out.append(_cluster(cid, parent, zh, en, mine, colour, shape))
    for m in members:
        m.setdefault("cluster", parent)
    return out


def place(nodes: list[dict[str, Any]], clusters: list[dict[str, Any]]) -> None:
    """Positions for a summary and each opened group: the layout, squeezed level by level.

    The whole-graph layout spreads 5,000 entities over ~20,000 px, so a group drawn at the mean
    of its members would be a dot at the zoom that shows them all. Instead the items of each
    level (the summary, then the children of each group) keep their direction from the group's
    centre in the layout, and their order of distance, but fill a disc of radius
    ``SPACING × √items`` around the group evenly (the k-th nearest of n at ``√(k/n)`` of the
    radius), so a park's own bodies, crowded at its hub in the layout, get room.
    """
    kids: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for item in (*clusters, *nodes):
        kids[item.get("parent") if "parent" in item else item.get("cluster")].append(item)
    origin = {c["id"]: (c["x"], c["y"]) for c in clusters}  # the means of the members, in layout pixels
    todo: list[tuple[str | None, float, float, float, float]] = [(None, 0.0, 0.0, 0.0, 0.0)]
    while todo:
        cid, mx, my, px, py = todo.pop()
        items = kids[cid]
        at = [origin.get(i["id"], (i["x"], i["y"])) if "count" in i else (i["x"], i["y"]) for i in items]
        if cid is None and at:
            mx, my = sum(x for x, _ in at) / len(at), sum(y for _, y in at) / len(at)
        radius = SPACING * (1 if cid else 3) * math.sqrt(len(items))
        order = sorted(range(len(at)), key=lambda i: math.hypot(at[i][0] - mx, at[i][1] - my))
        for rank, i in enumerate(order):
            item, (x, y) = items[i], at[i]
            angle = math.atan2(y - my, x - mx)
            r = radius * math.sqrt((rank + 0.5) / len(items)) if len(items) > 1 else 0.0
            item["x"], item["y"] = round(px + r * math.cos(angle), 1), round(py + r * math.sin(angle), 1)
            if "count" in item:
                todo.append((item["id"], x, y, item["x"], item["y"]))
