"""Backends by name: a small name -> "module:Class" registry, imported only when asked for."""

from __future__ import annotations

import importlib
from typing import Any

from kg.errors import KgError

__all__ = ["BACKENDS", "open_store"]

BACKENDS: dict[str, str] = {
    "store": "kg.stores.embedded:EmbeddedStore",
    "bolt": "kg.stores.bolt:BoltStore",
    "sparql": "kg.stores.remote:RemoteSparql",
}


def open_store(backend: str = "store", **options: Any):
    """Open the backend registered as ``backend`` with its options (e.g. ``path=``)."""
    try:
        target = BACKENDS[backend]
    except KeyError:
        raise KgError(f"unknown backend {backend!r}; known: {', '.join(BACKENDS)}") from None
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)(**options)
