"""The Bolt transport: the official neo4j driver (Neo4j, Aura, clusters, our Bolt server, FalkorDB's Bolt port)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from kg.errors import KgError
from kg.stores.bolt import falkordb
from kg.stores.bolt.config import BoltConfig, errors

__all__ = ["BoltTransport"]


class BoltTransport:
    """Runs Cypher through the neo4j driver; reads in read-access sessions, writes in one write session."""

    name = "bolt"

    def __init__(self, cfg: BoltConfig):
        from neo4j import GraphDatabase

        auth = (cfg.user or "neo4j", cfg.password or "") if cfg.user or cfg.password else None
        self.cfg = cfg
        self._write = None
        self.front = False  # the local server's Bolt front (kg.stores.bolt_server): none of FalkorDB's Bolt quirks
        with errors(cfg):
            self.driver = GraphDatabase.driver(cfg.uri, auth=auth)
            try:
                self.front = str(self.driver.get_server_info().agent).startswith("park-kg")
            except Exception as e:
                if type(e).__name__ == "DatabaseError":  # FalkorDB answers a refused HELLO this way
                    raise KgError(
                        f"the server at {cfg.safe_uri} refused the login for user {cfg.user!r}: "
                        "check NEO4J_USER / NEO4J_PASSWORD"
                    ) from None
                raise

    @property
    def falkordb_bolt(self) -> bool:
        """True when talking to FalkorDB's own Bolt port, whose quirks :mod:`.falkordb` works around."""
        return self.cfg.engine == "falkordb" and not self.front

    def _session(self, read: bool):
        from neo4j import READ_ACCESS, WRITE_ACCESS

        if self.falkordb_bolt:
            # FalkorDB 4.16's Bolt port takes the first key of a message's metadata as the graph
            # name: an access mode writes to a graph called "mode", a database to one called "db".
            # So no metadata at all: everything goes to its default graph 'falkordb'.
            return self.driver.session()
        kw: dict[str, Any] = {"default_access_mode": READ_ACCESS if read else WRITE_ACCESS}
        if self.cfg.database:
            kw["database"] = self.cfg.database
        return self.driver.session(**kw)

    def _params(self, params: dict[str, Any]) -> dict[str, Any]:
        return falkordb.bolt_params(params) if self.falkordb_bolt else params

    def read(self, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        with errors(self.cfg), self._session(read=True) as s:
            return s.run(cypher, self._params(params)).data()

    def write(self, cypher: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        with errors(self.cfg):
            if self._write is None:
                self._write = self._session(read=False)
            # .data(), not .consume(): FalkorDB's Bolt port does not run a DISCARDed query
            return self._write.run(cypher, self._params(params)).data()

    def wipe(self) -> None:
        """Delete every node and relationship, 5,000 nodes per statement (the graph and its indexes stay)."""
        while self.read("MATCH (n) RETURN count(n) AS c", {})[0]["c"]:
            self.write("MATCH (n) WITH n LIMIT 5000 DETACH DELETE n", {})

    def write_batches(self, cypher: str, batches: Iterable[list[dict[str, Any]]]) -> Iterator[int]:
        """Write ``UNWIND $rows`` batches one after the other; yields each batch's size."""
        for b in batches:
            self.write(cypher, {"rows": b})
            yield len(b)

    def close(self) -> None:
        if self._write is not None:
            self._write.close()
        if self.falkordb_bolt:
            falkordb.drop_connections(self.driver)
        self.driver.close()
