"""What bounds a worker process: death with its parent, and the memory a query may make it grow by."""

from __future__ import annotations

__all__ = ["die_with_parent", "data_size", "limit_memory", "OUT_OF_MEMORY", "DEFAULT_MAX_MEMORY"]

#: memory a query worker may use, in MB (its data segment and anonymous mappings: ``RLIMIT_DATA``)
DEFAULT_MAX_MEMORY = 1024
#: what a worker's stderr holds when an allocation failed: Rust's alloc error handler, C++'s, Python's,
#: RocksDB's cache, and a thread that got no stack
OUT_OF_MEMORY = (b"memory allocation of", b"std::bad_alloc", b"MemoryError", b"Anonymous mmap",
                 b"Resource temporarily unavailable")


def die_with_parent() -> None:
    """Ask Linux to kill this worker when its parent dies, even in the middle of a query."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the worker exits at its next request instead
        pass


def data_size() -> int:
    """Bytes of this process's data segment and private writable mappings now (what ``RLIMIT_DATA`` counts);
    0 if unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def limit_memory(mb: int | None) -> None:
    """Let this process's data (heap and anonymous mappings) grow by at most ``mb`` MB from now on;
    past it allocations fail. None or 0 lifts the limit. Only the soft limit is set: a query runs
    no Python code that could raise it, and the worker lifts it to reopen the store."""
    try:
        import resource
    except ImportError:  # not POSIX: no limit
        return
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    limit = data_size() + mb * 2**20 if mb else hard
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
