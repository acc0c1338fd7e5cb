"""The seed graph for the examples in the docstrings: built once per process, in a temporary directory.

Only the documentation uses it (it needs the repository's ``seeds/``); in a notebook,
open your own store: ``EmbeddedStore("data/store")``.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

__all__ = ["seed_store"]

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@functools.cache
def seed_store():
    """An :class:`~kg.stores.embedded.EmbeddedStore` of the seed facts (removed when the process ends)."""
    from kg.build import build
    from kg.stores.embedded import EmbeddedStore

    tmp = Path(tempfile.mkdtemp(prefix="kg-seed-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    build(SEEDS / "facts", tmp / "store", shacl=False)
    return EmbeddedStore(tmp / "store")
