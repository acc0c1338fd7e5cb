"""park-kg: a knowledge graph of the organizations of an industrial park.

Importing ``kg`` loads nothing heavy; the modules that need rdflib, pyoxigraph,
networkx, neo4j or pyvis import them themselves. ``kg.Graph`` (:mod:`kg.api`), the
Python API for notebooks, is imported on first use.
"""

__version__ = "0.1.0"
__all__ = ["__version__", "Graph"]


def __getattr__(name: str):
    if name == "Graph":
        from kg.api import Graph

        return Graph
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
