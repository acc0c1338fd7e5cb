"""A disk that is full under one directory: writes there fail with ENOSPC, as a real full disk makes them.

Python-level opens for writing fail at once; raw descriptors opened for writing fail at their
first ``os.write`` (the file exists by then, as on a real disk). Used with pytest's
``monkeypatch.setattr`` in-process, or with plain ``setattr`` in a child process.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
from pathlib import Path


def fill(directory: Path | str, setattr=setattr) -> None:
    top = os.path.realpath(directory) + os.sep
    fds: set[int] = set()
    real_os_open, real_write, real_close, real_io_open = os.open, os.write, os.close, io.open

    def full(path) -> bool:
        return os.path.realpath(os.fspath(path)).startswith(top)

    def enospc(path=None) -> OSError:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), *([os.fspath(path)] if path is not None else []))

    def os_open(path, flags, *a, **kw):
        fd = real_os_open(path, flags, *a, **kw)
        if flags & (os.O_WRONLY | os.O_RDWR) and full(path):
            fds.add(fd)
        return fd

    def write(fd, data):
        if fd in fds:
            raise enospc()
        return real_write(fd, data)

    def close(fd):
        fds.discard(fd)
        return real_close(fd)

    def io_open(file, mode="r", *a, **kw):
        if isinstance(file, (str, os.PathLike)) and any(c in mode for c in "wax+") and full(file):
            raise enospc(file)
        return real_io_open(file, mode, *a, **kw)

    setattr(os, "open", os_open)
    setattr(os, "write", write)
    setattr(os, "close", close)
    setattr(io, "open", io_open)
    setattr(builtins, "open", io_open)
