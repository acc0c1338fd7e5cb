"""Large word tables loaded by need: a cache file cut into buckets by the first characters of each key.

jieba's prefix dictionary (about 600,000 keys) and pypinyin's phrase table take a second or more to
build at every start. Each is written once, from the installed package, to a cache file in the
user's cache directory (``$XDG_CACHE_HOME/park-kg`` or ``~/.cache/park-kg``, else the temporary
directory), cut into 65,536 buckets by a fixed hash of each key's first one or two characters.
Reading a text needs only the keys that start with its characters (or two-character runs), so
:meth:`Buckets.ensure` loads just those buckets into the plain dicts and sets the reader uses: a
2,000-character article loads a few percent of the table. A file's name holds a digest of what it
was built from, so a new package version or a changed word list builds a new one.
"""

from __future__ import annotations

import hashlib
import marshal
import mmap
import os
import tempfile
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["Buckets", "cache_dir", "cache_file", "write_atomically"]

_N = 1 << 16
_MAGIC = b"pkgbkt01"
_HEAD = len(_MAGIC) + 8


def cache_dir() -> Path:
    """Where the caches live: ``$XDG_CACHE_HOME/park-kg``, else ``~/.cache/park-kg``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "park-kg"


def cache_file(base: Path, stem: str, source: str, suffix: str) -> Path:
    """The cache file of what ``source`` describes (the files it was made from, their sizes and dates):
    ``base/stem-<digest of source><suffix>``, so that a change of any of them names another file."""
    return base / f"{stem}-{hashlib.sha1(source.encode('utf-8')).hexdigest()[:16]}{suffix}"


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """``path`` written by ``write`` into a temporary file beside it, then moved over it: a reader never maps half a
    file, and two processes writing the same cache at once leave one whole file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _bucket(key: str) -> int:
    """A fixed hash of a key's first characters (Python's own ``hash`` of a str changes from run to run)."""
    h = ord(key[0]) * 1_000_003 + (ord(key[1]) if len(key) > 1 else 0)
    return h % _N


def _write(path: Path, width: int, total: int, tables: list) -> None:
    """The file: magic, ``total``, the buckets' offsets, then each bucket's slices of ``tables`` marshalled."""
    parts = [[type(t)() for t in tables] for _ in range(_N)]
    for n, table in enumerate(tables):
        for key in table:
            part = parts[_bucket(key[:width])][n]
            if isinstance(part, dict):
                part[key] = table[key]
            else:
                part.add(key)
    blobs = [marshal.dumps(tuple(p)) if any(p) else b"" for p in parts]
    offsets = array("Q", [0])
    for b in blobs:
        offsets.append(offsets[-1] + len(b))

    def write(out: BinaryIO) -> None:
        out.write(_MAGIC + total.to_bytes(8, "little") + offsets.tobytes())
        out.writelines(blobs)

    write_atomically(path, write)


class Buckets:
    """One cache file, loaded bucket by bucket into ``tables`` (dicts or sets, filled in place)."""

    def __init__(self, path: Path, width: int, tables: tuple):
        self.tables, self.width = tables, width
        with path.open("rb") as f:
            self._data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        if self._data[: len(_MAGIC)] != _MAGIC:
            raise ValueError(f"{path} is not a park-kg cache file")
        self.total = int.from_bytes(self._data[len(_MAGIC) : _HEAD], "little")
        self._offsets = array("Q")
        self._offsets.frombytes(self._data[_HEAD : _HEAD + 8 * (_N + 1)])
        self._base = _HEAD + 8 * (_N + 1)
        self._loaded = bytearray(_N)
        self._left = _N  # buckets not loaded yet: none left, nothing to look at
        self._seen: set[str] = set()

    @classmethod
    def open(cls, stem: str, source: str, width: int, tables: tuple, build: Callable[[], tuple[int, list]]) -> Buckets:
        """The cache file ``stem-<digest of source>``, written from ``build()`` (a total and full tables) when missing.

        Raises OSError when no cache directory can be written."""
        for base in (cache_dir(), Path(tempfile.gettempdir()) / "park-kg"):
            path = cache_file(base, stem, source, ".bin")
            try:
                if not path.is_file():
                    _write(path, width, *build())
                return cls(path, width, tables)
            except (OSError, ValueError):
                continue  # an unwritable or damaged cache: try the next place
        raise OSError(f"cannot write a cache file in {cache_dir()} nor in the temporary directory")

    def ensure_word(self, word: str) -> None:
        """Load the bucket that holds ``word`` itself (not the words that start inside it)."""
        self._load(_bucket(word[: self.width]))

    def ensure(self, text: str) -> None:
        """Load the buckets of every key that can start in ``text``: at its characters (and two-character runs)."""
        if not self._left:
            return
        new = {text[k : k + self.width] for k in range(len(text))} - self._seen
        if not new:
            return
        self._seen |= new
        keys = new | {g[0] for g in new} if self.width > 1 else new
        for b in {_bucket(k) for k in keys}:
            self._load(b)

    def _load(self, b: int) -> None:
        if not self._loaded[b]:
            self._loaded[b] = 1
            self._left -= 1
            start, end = self._offsets[b], self._offsets[b + 1]
            if end > start:
                for table, part in zip(self.tables, marshal.loads(self._data[self._base + start : self._base + end])):
                    table.update(part)
