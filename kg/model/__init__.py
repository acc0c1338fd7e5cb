"""The model layer: the vocabulary (terms, generated from ontology/park.ttl) and the class hierarchy; no third-party imports.

It imports nothing from the rest of kg but kg.errors, kg.text and kg.progress, which
belong to the same bottom layer (see docs/explanation/architecture.md).
"""

__all__: list[str] = []
