"""Workflows over the built graph: ingest reviewed candidates, diff facts against the store, export, push.

Modules: ``ingest`` (candidates → facts files → build; with ``ingest_read`` and ``ingest_select``),
``diff`` (facts against the built store), ``export`` (ttl, trig, nq, jsonld, graphml, csv) and
``push`` (the built store to a SPARQL server over the Graph Store protocol). Nothing is imported here:
``import kg.workflows`` stays light.
"""

__all__: list[str] = []
