"""The model layer: vocabulary (generated from ontology/park.ttl), class hierarchy, names; no third-party imports.

It imports nothing from the rest of kg but kg.errors, kg.text and kg.progress, which
belong to the same bottom layer (see docs/explanation/architecture.md).
"""

__all__: list[str] = []
