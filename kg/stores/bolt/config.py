"""Where the property graph lives (BoltConfig) and how a driver's error becomes one readable line."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlparse

from kg.errors import KgError

__all__ = ["BoltConfig", "NO_SERVER", "errors", "describe"]

#: neither NEO4J_URI (nor --uri) nor a running local server
NO_SERVER = "no graph database configured or running: start one with `kg graphdb start` or set NEO4J_URI"


@dataclass
class BoltConfig:
    """Where the property graph lives. ``from_env`` reads NEO4J_URI/USER/PASSWORD/DATABASE."""

    uri: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    engine: str = "auto"
    transport: str = "auto"  # bolt for queries; native for bulk loads into the local FalkorDB
    native_port: int | None = None

    def __post_init__(self) -> None:
        # bolt://user:password@host: the driver refuses credentials in the URI (and its error repeats
        # the URI, password included), so they move to user/password unless those are given.
        u = urlparse(self.uri)
        if u.username is not None or u.password is not None:
            self.user = self.user or unquote(u.username or "") or None
            self.password = self.password or unquote(u.password or "") or None
            self.uri = u._replace(netloc=u.netloc.rsplit("@", 1)[1]).geturl()

    def __repr__(self) -> str:
        return (
            f"BoltConfig(uri={self.safe_uri!r}, user={self.user!r}, database={self.database!r}, "
            f"engine={self.engine!r}, "
            f"transport={self.transport!r}, native_port={self.native_port!r})"
        )

    @property
    def safe_uri(self) -> str:
        """The URI as messages show it: a password inside it (bolt://user:pw@host) replaced by ***."""
        u = urlparse(self.uri)
        return self.uri.replace(f":{u.password}@", ":***@", 1) if u.password else self.uri

    def secrets(self) -> list[str]:
        """Every password this configuration holds (option/env and URI), for scrubbing messages."""
        return [p for p in (self.password, urlparse(self.uri).password) if p]

    @classmethod
    def from_env(cls, **overrides: Any) -> BoltConfig:
        """Exactly the configured server: ``uri`` (an option) or NEO4J_URI, else the local `kg graphdb` if it
        is running; never a guessed address. NEO4J_USER/NEO4J_PASSWORD/NEO4J_DATABASE belong to NEO4J_URI
        (or ``uri``): the local server gets only credentials passed as ``user``/``password``, else its own
        password from KG_GRAPHDB_PASSWORD (which no other server is ever sent)."""
        from kg.graphdb import local_state

        given = {k: v for k, v in overrides.items() if v is not None}
        local = local_state()
        env: dict[str, Any] = {"transport": os.environ.get("KG_TRANSPORT", "auto")}
        if given.get("uri") or os.environ.get("NEO4J_URI"):
            env.update(
                uri=os.environ.get("NEO4J_URI"),
                user=os.environ.get("NEO4J_USER"),
                password=os.environ.get("NEO4J_PASSWORD"),
                database=os.environ.get("NEO4J_DATABASE"),
            )
        elif local is not None:
            env["uri"] = local.bolt_uri
        else:
            raise KgError(NO_SERVER)
        env.update(given)
        cfg = cls(**env)
        if local and urlparse(cfg.uri).port == local.bolt_port and _loopback(cfg.uri):
            cfg.native_port = cfg.native_port or local.port
            cfg.password = cfg.password or os.environ.get("KG_GRAPHDB_PASSWORD") or None
            if cfg.engine == "auto":
                cfg.engine = "falkordb"
        return cfg


def _loopback(uri: str) -> bool:
    return (urlparse(uri).hostname or "") in ("127.0.0.1", "localhost", "::1")


@contextlib.contextmanager
def errors(cfg: BoltConfig) -> Iterator[None]:
    """Driver and server errors as one line; never the password."""
    try:
        yield
    except KgError:
        raise
    except Exception as e:  # noqa: BLE001 - every driver error becomes a user-facing line
        raise KgError(describe(e, cfg)) from None


def describe(e: Exception, cfg: BoltConfig) -> str:
    """One line for a driver or server error, with the password scrubbed."""
    name = type(e).__name__
    msg = getattr(e, "message", None) or str(e)
    msg = " ".join(str(msg).split())
    for secret in cfg.secrets():
        msg = msg.replace(secret, "***")
    where = f"{cfg.safe_uri}" + (f" (native port {cfg.native_port})" if cfg.transport == "native" else "")
    if (
        name in ("ServiceUnavailable", "ConnectionError", "ConnectionRefusedError", "TimeoutError")
        or "Connection refused" in msg
    ):
        return f"cannot reach the graph database at {where}: start it with `kg graphdb start`, or set NEO4J_URI"
    if name in ("AuthError", "Unauthorized") or "authentication" in msg.lower():
        who = f"for user {cfg.user or 'neo4j'!r}" if cfg.user or cfg.password else "without credentials"
        hint = (
            "set KG_GRAPHDB_PASSWORD to the password the local server was started with"
            if cfg.native_port and not cfg.user
            else "check NEO4J_USER / NEO4J_PASSWORD"
        )  # NEO4J_* reach the local server only with NEO4J_URI or --uri
        return f"authentication failed at {cfg.safe_uri} {who}: {hint}"
    if name == "CypherSyntaxError" or "Invalid input" in msg or "errMsg" in msg:
        return f"Cypher error: {msg}"
    return f"the graph database at {where} failed: {name}: {msg[:300]}"
