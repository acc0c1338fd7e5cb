"""The Bolt backend: the property graph in Neo4j 5 / Aura or the local FalkorDB, one Cypher for both.

Two transports run the same Cypher texts (:mod:`.transports`): ``bolt``, the official ``neo4j``
driver (:mod:`.driver`: Neo4j, Aura, clusters via ``neo4j://``, the local server's Bolt front
:mod:`kg.stores.bolt_server`, FalkorDB's own Bolt port) and ``native``, FalkorDB's client over the
Redis protocol for the local server (:mod:`.falkordb`, which also holds every workaround for
FalkorDB's Bolt port). Batch sizes and index DDL per engine: :mod:`.engines`. Errors from either
driver become one readable :class:`~kg.errors.KgError` line without the password (:mod:`.config`).
Importing this package loads neither driver.
"""

from kg.stores.bolt.config import NO_SERVER, BoltConfig
from kg.stores.bolt.engines import ENGINES, Engine, create_indexes
from kg.stores.bolt.guard import check_read_only
from kg.stores.bolt.load import LoadReport, load, load_store
from kg.stores.bolt.readback import export_rdf, export_triples
from kg.stores.bolt.store import BoltStore
from kg.stores.bolt.transports import connect

__all__ = [
    "BoltConfig",
    "BoltStore",
    "Engine",
    "ENGINES",
    "LoadReport",
    "NO_SERVER",
    "load",
    "load_store",
    "export_triples",
    "export_rdf",
    "check_read_only",
    "connect",
    "create_indexes",
]
