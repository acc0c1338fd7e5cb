"""Interactive HTML views of the graph that work offline (vis-network, via pyvis).

``view(store, …)`` picks what to show and returns a :class:`View` (the vis-network
nodes, edges, legend and options); ``to_network(view)`` makes the pyvis ``Network`` for a
notebook; ``to_html``/``write_html`` make one self-contained page; ``draw(graph, …)``
draws any projection-shaped graph without a store. Importing this package loads nothing
heavy: each name is imported on first use.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

__all__ = ["view", "draw", "View", "to_network", "to_html", "write_html", "write_view", "MAX_NODES"]

MAX_NODES = 10_000
_WHERE = {
    "view": "select",
    "draw": "drawing",
    "View": "drawing",
    "to_network": "network",
    "to_html": "page",
    "write_html": "page",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f"kg.views.{_WHERE[name]}"), name)
    raise AttributeError(name)


def write_view(store, path: Path | str, **options: Any):
    """Build the view of ``store`` chosen by ``options`` and write its page to ``path``.

    The options are those of :func:`kg.views.select.view`."""
    from kg.views.page import write_html
    from kg.views.select import view

    v = view(store, **options)
    write_html(v, path)
    return v
