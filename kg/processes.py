"""Processes kg started, known for certain: pid, start time and command line.

A state file outlives the processes it names: after a crash or a reboot a recorded pid may
belong to another program. A process counts as the one kg started only while its pid, its
start time (boot id and ``/proc/<pid>/stat`` field 22, or ``ps``'s start time elsewhere)
and its command line all match what was recorded when kg started it; only then is it
signalled, and where the kernel offers pidfds the check happens *after* the pid is pinned,
so a process that takes over the pid in between cannot receive the signal.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path

__all__ = ["alive", "identity", "is_ours", "send_signal", "terminate"]


def alive(pid: int) -> bool:
    """Whether ``pid`` is a live process (any process: see :func:`is_ours` before signalling it)."""
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


def identity(pid: int) -> tuple[str, str] | None:
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
        out = subprocess.run(
            ["ps", "-o", "lstart=", "-o", "command=", "-p", str(pid)], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    line = out.stdout.strip()
    if out.returncode != 0 or not line:
        return None
    return line[:24], line[24:].strip()  # lstart is 24 characters: "Tue Mar  3 10:00:00 2026"


def is_ours(pid: int, started: str, cmdline: str) -> bool:
    """Whether ``pid`` still is the process recorded as (``started``, ``cmdline``); never for an empty record."""
    return bool(started) and isinstance(pid, int) and pid > 0 and identity(pid) == (started, cmdline)


def send_signal(pid: int, started: str, cmdline: str, sig: int) -> bool:
    """Send ``sig`` to ``pid`` if it still is the recorded process; False if it is not (nothing sent)."""
    if not started or not isinstance(pid, int) or pid <= 0:
        return False
    fd = None
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return False
    except (AttributeError, OSError):  # no pidfd here (not Linux, an old kernel): plain kill
        fd = None
    try:
        if identity(pid) != (started, cmdline):
            return False
        if fd is not None:
            signal.pidfd_send_signal(fd, sig)
        else:
            os.kill(pid, sig)
        return True
    except ProcessLookupError:
        return False
    finally:
        if fd is not None:
            os.close(fd)


def terminate(procs: Iterable[tuple[int, str, str]], timeout: float = 20.0) -> None:
    """SIGTERM each recorded (pid, started, cmdline) that is still ours, wait up to ``timeout`` s, SIGKILL the rest."""
    ours = [p for p in procs if send_signal(*p, signal.SIGTERM)]
    deadline = time.monotonic() + timeout
    while any(is_ours(*p) for p in ours) and time.monotonic() < deadline:
        time.sleep(0.1)
    for p in ours:
        send_signal(*p, signal.SIGKILL)
