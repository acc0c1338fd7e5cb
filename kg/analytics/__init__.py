"""Network analytics over the networkx projection of the graph: paths, hubs, clusters, bridges, change.

The projection (which statements become edges, their direction, status, dates and
weights) is :func:`project`, documented in :mod:`kg.analytics.projection` and shared by
``kg path``, ``kg analyze`` and ``kg view``. Each analysis takes a store (the embedded
store or the Bolt backend) and returns a :class:`~kg.queries.result.Report` of plain rows
(``report.to_dict()`` for a notebook). networkx is imported here and in ``kg.views`` only.

Modules: ``projection`` (the rules), ``network`` (scopes: which relations are in effect),
``paths``, ``ranking`` (centrality), ``clustering`` (communities), ``connectors``
(bridges), ``change`` (compare), ``examples`` (the seed store the docstrings use).
"""

from kg.analytics.change import compare
from kg.analytics.clustering import METHODS, communities
from kg.analytics.connectors import bridges
from kg.analytics.network import SCOPES, Network, load
from kg.analytics.paths import all_paths, every_path, shortest_path
from kg.analytics.projection import project, undirected
from kg.analytics.ranking import MEASURES, centrality

__all__ = [
    "project",
    "undirected",
    "shortest_path",
    "all_paths",
    "every_path",
    "load",
    "Network",
    "SCOPES",
    "centrality",
    "MEASURES",
    "communities",
    "METHODS",
    "bridges",
    "compare",
]
