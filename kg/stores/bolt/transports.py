"""Open a transport for a configuration: the neo4j driver (Bolt) or FalkorDB's native client."""

from __future__ import annotations

import logging

from kg.errors import KgError
from kg.stores.bolt.config import BoltConfig
from kg.stores.bolt.engines import ENGINES, Engine

__all__ = ["connect", "batch_engine"]


def _detect_engine(t) -> str:
    try:
        rows = t.read("CALL dbms.components() YIELD name RETURN name", {})
    except KgError:
        return "falkordb"
    return "neo4j" if any("neo4j" in str(r.get("name", "")).lower() for r in rows) else "falkordb"


def connect(cfg: BoltConfig, *, bulk: bool = False):
    """An open transport for ``cfg``, with ``cfg.engine`` and ``cfg.transport`` resolved.

    ``transport='auto'`` is the neo4j driver, except for a bulk load into the local
    FalkorDB, which goes through its native client (no Bolt framing, no message-size limit).
    """
    from kg.stores.bolt.driver import BoltTransport
    from kg.stores.bolt.falkordb import NativeTransport

    if cfg.transport == "auto":
        cfg.transport = "native" if bulk and cfg.native_port else "bolt"
    if cfg.transport not in ("bolt", "native"):
        raise KgError(f"unknown transport {cfg.transport!r}; use bolt or native")
    # The driver's own warnings repeat what our one-line error says; without a handler Python prints them.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    t = NativeTransport(cfg) if cfg.transport == "native" else BoltTransport(cfg)
    if cfg.engine == "auto":
        cfg.engine = "falkordb" if cfg.transport == "native" else _detect_engine(t)
    if cfg.engine not in ("neo4j", "falkordb"):
        raise KgError(f"unknown engine {cfg.engine!r}; use neo4j or falkordb")
    return t


def batch_engine(t, cfg: BoltConfig) -> Engine:
    """The batch sizes and caps for writing through ``t``: FalkorDB's Bolt port's small ones only where needed."""
    if cfg.engine == "falkordb" and not getattr(t, "falkordb_bolt", False):
        return ENGINES["falkordb-native"]
    return ENGINES[cfg.engine]
