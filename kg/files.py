"""The files user data passes through: a source stem, a path kept inside its directory, a read
that refuses what is not a regular file, and writes that are atomic and leave nothing behind.

Temporary and backup files are named ``.<name>.kg-<pid>-<start>-<token>.tmp`` (``.bak``) in
the directory of the file they stand for, so a rename puts them in place; ``<pid>-<start>``
says which process made them (its id and start time), and :func:`stale` tells whether that
process is gone, so a later run can remove what a killed one left.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import stat
import unicodedata
from pathlib import Path

from kg.errors import KgError, shorten

__all__ = [
    "STEM_MAX_BYTES", "stem_problem", "check_stem", "inside", "is_inside", "read_regular", "write_atomic",
    "check_output", "owner_tag", "stale", "remove_stale", "FileChanges",
]  # fmt: skip

#: longest source stem, in UTF-8 bytes (a file name may have 255, and .meta.yaml is added)
STEM_MAX_BYTES = 200
_KINDS = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket", stat.S_IFLNK: "a symbolic link"}
_TAG = re.compile(r"\.kg-(\d+)-(\d+)-[0-9a-f]+\.(tmp|bak)$")


def stem_problem(stem: object) -> str | None:
    """Why ``stem`` cannot name ``<stem>.txt`` in a sources directory (a bare file name), or None."""
    if not isinstance(stem, str) or not stem.strip():
        return "is not a file name"
    if "/" in stem or "\\" in stem:
        return "is a path, not a file name"
    if stem.startswith("."):
        return "starts with a dot (a hidden file, or ..)"
    if bad := next((c for c in stem if unicodedata.category(c) in ("Cc", "Cf", "Cs")), None):
        return f"contains the control or invisible character U+{ord(bad):04X}"
    if len(stem.encode("utf-8")) > STEM_MAX_BYTES:
        return f"is longer than {STEM_MAX_BYTES} bytes"
    return None


def check_stem(stem: object, what: str = "source") -> str:
    """``stem`` if it is a bare file name (see :func:`stem_problem`), else :class:`KgError`."""
    if problem := stem_problem(stem):
        raise KgError(f"{what} {shorten(repr(stem), 60)} {problem}: it must be the file name of the article "
                      "in the sources directory without .txt (no folder, no ..)")
    return stem  # type: ignore[return-value]


def is_inside(path: Path | str, root: Path | str) -> bool:
    """True when ``path`` is ``root`` or below it, both with symbolic links resolved."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def inside(path: Path, root: Path, what: str) -> Path:
    """The real path of ``path`` (links resolved); :class:`KgError` if that leaves ``root``."""
    if not is_inside(path, root):
        raise KgError(
            f"{path} leads to {os.path.realpath(path)}, outside the {what} {root}; kg ingest reads and writes "
            f"only inside it: replace the link with the file itself"
        )
    return Path(os.path.realpath(path))


def read_regular(path: Path | str, what: str = "file", max_bytes: int | None = None) -> bytes:
    """The bytes of the regular file at ``path``; :class:`KgError` for anything else.

    The file is opened without blocking and checked after opening, so a FIFO, a device or a
    directory is refused at once (and one swapped in after a check is refused too).
    """
    p = Path(path)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise KgError(f"{p}: no such file") from None
    except OSError as e:
        kind = _kind(p)
        if kind:
            raise KgError(f"{p}: not a regular file ({kind}); give the {what} as a plain file") from None
        raise KgError(f"{p}: cannot read the {what}: {e.strerror}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise KgError(
                f"{p}: not a regular file ({_KINDS.get(stat.S_IFMT(st.st_mode), 'a special file')}); give the {what} "
                "as a plain file"
            )
        if max_bytes is not None and st.st_size > max_bytes:
            raise KgError(
                f"{p}: {st.st_size / 1e6:.0f} MB is more than the {max_bytes // 2**20} MiB allowed for this {what}; "
                "split it"
            )
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    except OSError as e:
        raise KgError(f"{p}: cannot read the {what}: {e.strerror}") from None
    finally:
        os.close(fd)


def _kind(p: Path) -> str | None:
    with contextlib.suppress(OSError):
        mode = os.stat(p).st_mode
        if not stat.S_ISREG(mode):
            return _KINDS.get(stat.S_IFMT(mode), "a special file")
    return None


# ------------------------------------------------------------------------------ who made a file


def _start_time(pid: int) -> str | None:
    """The start time of process ``pid`` (clock ticks since boot), "0" without /proc, None if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return None
    except OSError:
        return "0" if not Path("/proc/self/stat").exists() else None
    return None if fields[0] in ("Z", "X") else fields[19]


def owner_tag() -> str:
    """``<pid>-<start time>`` of this process, for the names of the files it writes for a while."""
    return f"{os.getpid()}-{_start_time(os.getpid()) or 0}"


def stale(tag: str) -> bool:
    """True when the process named by an :func:`owner_tag` is gone (its pid ended, or now runs another program)."""
    try:
        pid, start = (int(x) for x in tag.split("-", 1))
    except ValueError:
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass
    now = _start_time(pid)
    return now is None or (start != 0 and now != "0" and int(now) != start)


def remove_stale(directory: Path) -> list[Path]:
    """Delete the temporary and backup files in ``directory`` whose writer is gone; the paths removed."""
    gone = []
    with contextlib.suppress(OSError):
        for p in directory.iterdir():
            m = _TAG.search(p.name)
            if m and p.name.startswith(".") and not p.is_dir() and stale(f"{m.group(1)}-{m.group(2)}"):
                with contextlib.suppress(OSError):
                    p.unlink()
                    gone.append(p)
    return gone


def _sibling(path: Path, kind: str) -> Path:
    return path.with_name(f".{path.name[:100]}.kg-{owner_tag()}-{secrets.token_hex(4)}.{kind}")


# ------------------------------------------------------------------------------ writing


def _write_new(tmp: Path, data: bytes, like: Path) -> None:
    """Create ``tmp`` (it must not exist) holding ``data``, on disk, with the permissions of ``like`` if it exists."""
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
        with contextlib.suppress(OSError):
            os.fchmod(fd, stat.S_IMODE(os.stat(like).st_mode))
    finally:
        os.close(fd)


def write_atomic(path: Path | str, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` in one rename.

    A failure (or Ctrl-C) leaves ``path`` as it was and no temporary file."""
    p = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    tmp = _sibling(p, "tmp")
    try:
        _write_new(tmp, raw, p)
        os.replace(tmp, p)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def check_output(out: Path | str, *, inputs: tuple = (), protected: tuple = (), force: bool = False) -> Path:
    """The real path to write ``out`` to, or :class:`KgError` when that would destroy something.

    Refused: an ``out`` that is one of ``inputs`` (the same file, by any name), one that lies in
    a ``protected`` directory (``(path, what)`` pairs), and, unless ``force``, one that exists.
    """
    o = Path(out)
    real = Path(os.path.realpath(o))
    for src in filter(None, inputs):
        with contextlib.suppress(OSError):
            if real == Path(os.path.realpath(src)) or (o.exists() and os.path.samefile(o, src)):
                raise KgError(f"{o} is the input file {src}; write the output to another file")
    for d, what in protected:
        if d is not None and is_inside(real, d):
            raise KgError(f"{o} is inside {d}, the {what}; write the output elsewhere (it is not a curated file)")
    if os.path.lexists(o) or real.exists():
        if not force:
            raise KgError(f"{o} exists; choose another file, or pass --force to replace it")
        if real.exists() and not real.is_file():
            raise KgError(f"{o}: not a regular file ({_kind(real) or 'a special file'}); choose another output file")
    return real


class FileChanges:
    """Several files replaced together: all of them, or (after :meth:`rollback`) none.

    :meth:`prepare` writes every new content to a temporary file beside its target (a full
    disk fails here, before anything changed); :meth:`commit` keeps each existing target as a
    hard-linked backup and renames the new contents into place; :meth:`rollback` puts the
    backups back and removes new files; :meth:`finish` drops the backups.
    """

    def __init__(self) -> None:
        self._planned: list[tuple[Path, bytes]] = []
        self._tmp: dict[Path, Path] = {}
        self._done: list[tuple[Path, Path | None]] = []  # (target, backup or None if it was new)

    def write(self, path: Path, data: str | bytes) -> None:
        self._planned.append((path, data.encode("utf-8") if isinstance(data, str) else data))

    def prepare(self) -> None:
        """Write every new content beside its target; an :class:`OSError` names the target."""
        path = None
        try:
            for path, data in self._planned:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = _sibling(path, "tmp")
                self._tmp[path] = tmp
                _write_new(tmp, data, path)
        except OSError as e:
            self._drop_temps()
            raise OSError(e.errno, e.strerror, str(path)) from None
        except BaseException:
            self._drop_temps()
            raise

    def commit(self) -> None:
        """Put every prepared file in place; an :class:`OSError` names the target (call :meth:`rollback` then)."""
        for path, _ in self._planned:
            try:
                self._replace(path)
            except OSError as e:
                raise OSError(e.errno, e.strerror, str(path)) from None

    def _replace(self, path: Path) -> None:
        backup = None
        if path.exists():
            backup = _sibling(path, "bak")
            try:
                os.link(path, backup)  # no data written: a full disk cannot stop it
            except OSError:
                try:
                    shutil.copy2(path, backup)
                except BaseException:
                    backup.unlink(missing_ok=True)
                    raise
        self._done.append((path, backup))  # before the rename: a rollback after any failure from here restores it
        os.replace(self._tmp[path], path)
        del self._tmp[path]

    def rollback(self) -> None:
        self._drop_temps()
        while self._done:
            path, backup = self._done.pop()
            if backup is None:
                path.unlink(missing_ok=True)
            else:
                os.replace(backup, path)

    def finish(self) -> None:
        for _, backup in self._done:
            if backup is not None:
                backup.unlink(missing_ok=True)
        self._done.clear()

    def _drop_temps(self) -> None:
        for tmp in self._tmp.values():
            tmp.unlink(missing_ok=True)
        self._tmp.clear()
