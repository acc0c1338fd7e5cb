"""park-kg: a knowledge graph of the organizations of an industrial park.

Importing ``kg`` loads nothing heavy; the modules that need rdflib, pyoxigraph,
networkx, neo4j or pyvis import them themselves.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
