"""Turn a projection graph into what vis-network draws: nodes, edges, legend and options.

Nothing here reads the store: :func:`draw` takes the graph (see :mod:`kg.analytics` for
the projection rules), the entities behind its nodes and the Chinese/English labels of
classes and relations, so benchmarks and notebooks can draw any graph of that shape.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.model.classes import ancestors
from kg.model.names import Entity
from kg.model.terms import CLASSES
from kg.views import cluster
from kg.views import layout as lay
from kg.views.style import (
    FONT,
    HUB_DEGREE,
    class_style,
    edge_style,
    english_label,
    node_label,
    node_size,
    relation_labels,
)

__all__ = ["View", "draw", "PHYSICS_MAX", "BIG", "CLASS_LABELS"]

PHYSICS_MAX = 300  # nodes; up to here vis-network polishes the Python layout for a moment, then stops
BIG = 1000  # nodes; above this, edges hide while dragging/zooming
CLASS_LABELS = {name: (zh or name, en or name) for name, (_iri, zh, en, _up) in CLASSES.items()}


@dataclass
class View:
    """Everything one page shows. ``nodes``/``edges`` are vis-network DataSet items."""

    title: str
    mode: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: list[dict[str, Any]]
    options: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    focus: str | None = None
    english: bool = False
    graph: Any = None  # the networkx MultiDiGraph drawn
    # the groups of a big view (kg.views.cluster); empty: no summary
    clusters: list[dict[str, Any]] = field(default_factory=list)

    def summary(self, output: Path, seconds: float) -> list[str]:
        """The lines `kg view` prints after writing the page to ``output`` in ``seconds``."""
        return [f"wrote {output}: {self.title} — {len(self.nodes)} entities, {len(self.edges)} relations "
                f"({seconds:.2f} s)", *(f"note: {note}" for note in self.notes)]

    def as_json(self, output: Path, seconds: float) -> dict[str, Any]:
        """What `kg view --format json` prints."""
        return {"output": output, "title": self.title, "mode": self.mode, "entities": len(self.nodes),
                "relations": len(self.edges), "seconds": round(seconds, 3), "notes": self.notes}

    def data(self) -> dict[str, Any]:
        """The JSON-ready payload of the page."""
        from kg.text import simplified_map

        names = [x for n in self.nodes for x in (n["name"], *n["aliases"])]
        return {"title": self.title, "mode": self.mode, "nodes": self.nodes, "edges": self.edges, "legend": self.legend,
                "options": self.options, "notes": self.notes, "focus": self.focus, "english": self.english,
                "clusters": self.clusters,
                "fold": simplified_map(names)}  # the search folds traditional to simplified with it


def _primary_type(ent: Entity | None) -> str:
    """The most specific of the entity's classes (the first by name if several)."""
    if ent is None or not ent.types:
        return "Thing"
    specific = [t for t in ent.types if not any(t != u and t in ancestors(u) for u in ent.types)]
    return sorted(specific or ent.types)[0]


def _node(iri: str, ent: Entity | None, degree: int, xy: tuple[float, float],
          class_labels: Mapping[str, tuple[str, str]], english: bool, hub: bool) -> dict[str, Any]:
    t = _primary_type(ent)
    name = ent.name if ent else iri
    t_zh, t_en = class_labels.get(t, (t, t))
    zh = node_label(name, ent.aliases if ent else (), hub=hub)
    en = english_label(ent.name_en if ent else None, zh)
    tip = "\n".join(x for x in (name, ent.name_en if ent else "", f"{t_zh} / {t_en}" if t_zh != t_en else t) if x)
    return {
        "id": iri,
        "label": en if english else zh,
        "label_zh": zh,
        "label_en": en,
        "group": t,
        "size": node_size(degree),
        "degree": degree,
        "x": xy[0],
        "y": xy[1],
        "title": tip,
        "name": name,
        "name_en": ent.name_en if ent else None,
        "aliases": list(ent.aliases) if ent else [],
        "type_zh": t_zh,
        "type_en": t_en,
    }


def _edges(
    g, relations: Mapping[str, tuple[str, str]], english: bool, names: Mapping[str, str], hubs: set[str]
) -> list[dict[str, Any]]:
    """vis edges; those of a hub carry ``hub: true`` (the page labels them only while hovered or selected)."""
    out = []
    parallel: Counter = Counter()
    for i, (s, o, d) in enumerate(g.edges(data=True)):
        zh, en = relation_labels(d["predicate"], d["status"], relations)
        pair = frozenset((s, o))
        rank = parallel[pair]
        parallel[pair] += 1
        e = {
            "id": f"e{i}",
            "from": s,
            "to": o,
            "label": en if english else zh,
            "label_zh": zh,
            "label_en": en,
            "predicate": d["predicate"],
            "status": d["status"],
            "quote": d.get("quote"),
            "source": d.get("source"),
            "title": f"{names.get(s, s)} —{zh}→ {names.get(o, o)}\n“{d.get('quote') or ''}”\n{d.get('source') or ''}",
            **edge_style(d["status"]),
        }
        if s in hubs or o in hubs:
            e["hub"] = True
        if rank:
            e["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.25 * rank}
        out.append(e)
    return out


def _options(n: int, physics: bool) -> dict[str, Any]:
    big = n > BIG
    return {
        "autoResize": True,
        "nodes": {"font": {"face": FONT, "size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"}, "borderWidth": 1},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "smooth": False,
            "width": 1.2,
            "selectionWidth": 2,
            "font": {
                "face": FONT,
                "size": 12,
                "align": "horizontal",
                "color": "#333333",
                "strokeWidth": 0,
                "background": "rgba(255,255,255,0.85)",
            },
            "color": {"color": "#8a8a8a", "highlight": "#333333", "hover": "#333333"},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 250,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "keyboard": False,
        },
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -120,
                "centralGravity": 0.02,
                "springLength": 110,
                "springConstant": 0.06,
                "damping": 0.5,
                "avoidOverlap": 0.8,
            },
            "stabilization": {"enabled": physics, "iterations": 300, "updateInterval": 50, "fit": True},
            "minVelocity": 1.0,
        },
    }


def draw(g, entities: Mapping[str, Entity], *, classes: Mapping[str, tuple[str, str]] | None = None,
         relations: Mapping[str, tuple[str, str]] | None = None, title: str = "", mode: str = "graph",
         positions: Mapping[Hashable, tuple[float, float]] | None = None, center: str | None = None,
         degrees: Mapping[str, int] | None = None, notes: list[str] | None = None, english: bool = False,
         collapse: bool | None = None) -> View:
    """The :class:`View` of projection graph ``g``.

    ``entities`` maps node IRIs to their names and types; ``classes`` and ``relations`` map
    class local names and predicates to (Chinese, English) labels (default: the
    ontology's class labels; predicates as named). Without ``positions`` a
    force layout is computed in Python (:func:`kg.views.layout.layout`); vis-network then
    polishes small graphs for a moment and stops, and draws larger or pinned ones as given.
    ``degrees`` sizes nodes (default: degree in ``g``). ``collapse`` starts the page as a
    summary of groups (:mod:`kg.views.cluster`); ``None``: when there are more than
    :data:`~kg.views.cluster.COLLAPSE` entities. The ``center`` and the hubs (nodes with
    :data:`~kg.views.style.HUB_DEGREE` relations or more) are labelled by their full name; the
    relations of a hub are labelled only while hovered or selected.
    """
    classes = CLASS_LABELS if classes is None else classes
    relations = relations or {}
    physics = positions is None and g.number_of_nodes() <= PHYSICS_MAX
    pos = positions if positions is not None else lay.layout(g, center=center)
    deg = degrees if degrees is not None else dict(g.degree())
    hubs = {v for v in g.nodes if g.degree(v) >= HUB_DEGREE}
    nodes = [
        _node(
            v, entities.get(v), int(deg.get(v, 0)), pos.get(v, (0.0, 0.0)), classes, english, v in hubs or v == center
        )
        for v in g.nodes
    ]
    names = {n["id"]: n["name"] for n in nodes}
    edges = _edges(g, relations, english, names, hubs)
    options = _options(len(nodes), physics)
    options["groups"], legend = _legend(Counter(n["group"] for n in nodes), classes)
    if collapse is None:
        collapse = len(nodes) > cluster.COLLAPSE
    groups = cluster.group(g, nodes, classes) if collapse else []
    if groups:
        cluster.place(nodes, groups)
    return View(
        title=title,
        mode=mode,
        nodes=nodes,
        edges=edges,
        legend=legend,
        options=options,
        notes=list(notes or []),
        focus=center,
        english=english,
        graph=g,
        clusters=groups,
    )


def _legend(counts: Counter, classes: Mapping[str, tuple[str, str]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """vis ``groups`` options (colour and shape per class) and the legend, most frequent class first."""
    groups, legend = {}, []
    for t, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        colour, shape = class_style(t)
        groups[t] = {
            "shape": shape,
            "color": {
                "background": colour,
                "border": "#333333",
                "highlight": {"background": colour, "border": "#000000"},
                "hover": {"background": colour, "border": "#000000"},
            },
        }
        zh, en = classes.get(t, (t, t))
        legend.append({"type": t, "zh": zh, "en": en, "color": colour, "shape": shape, "count": c})
    return groups, legend
