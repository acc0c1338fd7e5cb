"""The pyvis ``Network`` of a view, for notebooks.

pyvis's ``add_node``/``add_edge`` look nodes up in a list (a 50,000-node graph took 99 s),
so the network is filled in one pass through its ``nodes``, ``edges``, ``node_ids`` and
``node_map`` attributes. pyvis's own HTML writers fetch vis-network and bootstrap from
CDNs; write the offline page with :func:`kg.views.write_html` instead.
"""

from __future__ import annotations

from kg.views.drawing import View

__all__ = ["to_network"]


def to_network(view: View, height: str = "750px", width: str = "100%"):
    """A ``pyvis.network.Network`` holding the view's nodes, edges and options."""
    from pyvis.network import Network

    net = Network(height=height, width=width, directed=True, heading="", cdn_resources="in_line")
    net.nodes = [dict(n) for n in view.nodes]
    net.node_ids = [n["id"] for n in net.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    net.edges = [dict(e) for e in view.edges]
    net.options = dict(view.options)
    return net
