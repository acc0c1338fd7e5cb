"""How things look: colour and shape per class, edge style per status, labels that fit.

Shapes are ones vis-network draws with the label underneath, so node size can follow
degree. The park is the only star.
"""

from __future__ import annotations

import hashlib
import math
import textwrap
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

__all__ = ["CLASS_STYLES", "HUB_DEGREE", "class_style", "edge_style", "node_label", "node_size", "english_label",
           "relation_labels", "STATUS_ZH", "FONT"]

FONT = '"Noto Sans CJK SC", "WenQuanYi Zen Hei", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'

# One colour and shape per class. Classes that share a shape are at least ΔE2000 20 apart, every
# pair at least 8, and the four stages of an incubation chain (众创空间 → 孵化器 → 加速器 → 科技园)
# at least 30 (tests/test_views.py checks it); the legend is documented in docs/how-to/views.md.
_CLASSES: dict[str, tuple[str, str]] = {
    "IndustrialPark": ("#d62728", "star"),
    "GovernmentBody": ("#7b1a1a", "square"),
    "Company": ("#1f77b4", "dot"),
    "University": ("#2ca02c", "triangle"),
    "ResearchInstitute": ("#17becf", "triangle"),
    "PartyBuildingCommunity": ("#e377c2", "diamond"),
    "Alliance": ("#7e57c2", "diamond"),
    "PartyOrganization": ("#a50026", "triangleDown"),
    "ChamberOfCommerce": ("#ff7f0e", "hexagon"),
    "Association": ("#d81b60", "hexagon"),
    "IncubationCarrier": ("#80cbc4", "square"),
    "MakerSpace": ("#ffd600", "square"),
    "Incubator": ("#00897b", "square"),
    "Accelerator": ("#f4511e", "square"),
    "SciencePark": ("#3949ab", "square"),
    "IncubationChain": ("#546e7a", "hexagon"),
    "Chain": ("#546e7a", "hexagon"),
    "Fund": ("#c9a200", "diamond"),
    "FinancialInstitution": ("#1b3a5c", "diamond"),
    "FinancialProduct": ("#f9a825", "dot"),
    "Project": ("#8c564b", "dot"),
    "PolicyDocument": ("#9e9e9e", "square"),
    "Event": ("#bcbd22", "triangleDown"),
    "Mechanism": ("#9ecae1", "dot"),
    "Program": ("#74c476", "dot"),
    "Qualification": ("#c5b0d5", "dot"),
    "Organization": ("#424242", "dot"),
}
CLASS_STYLES: Mapping[str, tuple[str, str]] = MappingProxyType(_CLASSES)
HUB_DEGREE = 12  # relations; a node with this many is a hub: labelled by its name, its relations labelled on hover
_SPARE_SHAPES = ("dot", "square", "triangle", "diamond", "hexagon", "triangleDown")

STATUS_ZH = {"active": "现行", "planned": "计划", "ended": "已结束"}
_STATUS_EDGE: dict[str, dict[str, Any]] = {
    "active": {},
    "planned": {"dashes": [8, 6], "color": {"color": "#e67e22", "highlight": "#d35400", "hover": "#d35400"}},
    "ended": {"dashes": [2, 6], "color": {"color": "#b0b0b0", "highlight": "#808080", "hover": "#808080"}},
}
# Relations the ontology does not label itself (shortcuts from other vocabularies).
_RELATIONS = {"org:memberOf": ("成员", "member of"), "memberOf": ("成员", "member of")}
_STATUS_IN_NAME = {"plannedMemberOf": "planned", "formerMemberOf": "ended"}


def class_style(name: str) -> tuple[str, str]:
    """(colour, vis shape) of a class local name; unknown classes get a stable colour from a hash."""
    if name in _CLASSES:
        return _CLASSES[name]
    h = int(hashlib.sha1(name.encode("utf-8")).hexdigest(), 16)
    return f"hsl({h % 360}, 55%, 45%)", _SPARE_SHAPES[h % len(_SPARE_SHAPES)]


def edge_style(status: str) -> dict[str, Any]:
    """vis edge options for a status: planned dashed orange, ended dotted grey, active plain."""
    return dict(_STATUS_EDGE.get(status, _STATUS_EDGE["ended"]))


def relation_labels(predicate: str, status: str, labels: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """(Chinese, English) edge labels; a planned or ended relation says so unless its name does."""
    zh, en = labels.get(predicate) or _RELATIONS.get(predicate) or (predicate, predicate)
    if status != "active" and _STATUS_IN_NAME.get(predicate) != status:
        zh, en = f"{zh}（{STATUS_ZH.get(status, status)}）", f"{en} ({status})"
    return zh, en


def node_size(degree: int) -> float:
    """Radius in pixels: grows with the square root of the degree (relations), 8 to 40.

    >>> node_size(0), node_size(1), node_size(4), node_size(1000)
    (8.0, 14.0, 20.0, 40.0)
    """
    return float(min(40.0, 8.0 + 6.0 * math.sqrt(max(degree, 0))))


def _wrap_cjk(text: str, width: int) -> str:
    """Lines of at most ``width`` characters, balanced: 10 characters make two lines of 5.

    >>> _wrap_cjk("金诃藏药集团有限公司", 9)
    '金诃藏药集\\n团有限公司'
    """
    per = math.ceil(len(text) / max(1, math.ceil(len(text) / width)))
    return "\n".join(text[i : i + per] for i in range(0, len(text), per))


def node_label(name: str, aliases: tuple[str, ...] = (), width: int = 9, longest: int = 12, hub: bool = False) -> str:
    """The Chinese label drawn under a node, wrapped: the name; for a long name its longest 简称 that fits.

    A hub keeps its name: a short 简称 such as 园区 says nothing in a graph with several parks.

    >>> node_label("西宁经济技术开发区生物科技产业园区", ("园区", "生物园区", "生物科技产业园区"))
    '生物科技产业园区'
    >>> node_label("西宁经济技术开发区生物科技产业园区", ("园区", "生物园区"), hub=True)
    '西宁经济技术开发区\\n生物科技产业园区'
    """
    text = name
    if len(name) > longest and not hub:
        short = [a for a in aliases if 2 <= len(a) <= longest]
        if short:
            text = max(short, key=len)
    return _wrap_cjk(text, width)


def english_label(name_en: str | None, fallback: str, width: int = 22) -> str:
    """The English label (the curators' translation), wrapped at spaces; the Chinese label if none."""
    if not name_en:
        return fallback
    lines = textwrap.wrap(name_en, width)
    return "\n".join(lines[:3]) + (" …" if len(lines) > 3 else "")
