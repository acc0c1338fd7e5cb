"""The exceptions park-kg raises for things a user can fix; the CLI turns them into one line."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "KgError",
    "NotFound",
    "Ambiguous",
    "StoreMissing",
    "StoreDamaged",
    "BuildLocked",
    "shorten",
    "first_line",
    "storage_errors",
    "FILE_ERRORS",
]

#: what reading a damaged JSON file raises, besides OSError
FILE_ERRORS = (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError)


def shorten(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, for echoing what a user typed."""
    return text if len(text) <= limit else text[:limit] + "…"


class KgError(Exception):
    """Base of every error meant for the user (exit code 1, message without traceback)."""


class NotFound(KgError):
    """A name that resolves to nothing; ``suggestions`` are the closest known names."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        msg = f"no entity named {shorten(name)!r}"
        if suggestions:
            msg += "; did you mean: " + ", ".join(suggestions)
        super().__init__(msg)


class Ambiguous(KgError):
    """A name that several entities carry; ``candidates`` are (iri, label) pairs."""

    def __init__(self, name: str, candidates: list[tuple[str, str]]):
        self.name = name
        self.candidates = candidates
        listing = "; ".join(f"{label} <{iri}>" for iri, label in candidates)
        super().__init__(f"{shorten(name)!r} names several entities: {listing}; use the full name or the IRI")


class StoreMissing(KgError):
    """No built graph where one was expected."""


class BuildLocked(KgError):
    """Another build holds the store's lock."""


class StoreDamaged(KgError):
    """The current generation of a store cannot be read as it was built."""

    def __init__(self, store: Path | str, what: str):
        self.store = Path(store)
        self.what = " ".join(str(what).split())[:300]
        super().__init__(f"the store at {store} is damaged ({self.what}): run `kg build --force`")


def first_line(e: BaseException) -> str:
    """The first line of an exception's message, or its type's name when it has none."""
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


@contextlib.contextmanager
def storage_errors(
    store: Path | str, what: str = "", kinds: tuple[type[BaseException], ...] = (OSError, RuntimeError)
) -> Iterator[None]:
    """Turn what RocksDB (OSError, RuntimeError "Corruption: …") or a parser raises on a damaged file into
    :class:`StoreDamaged`."""
    try:
        yield
    except kinds as e:
        if isinstance(e, KgError):
            raise
        raise StoreDamaged(store, f"{what}{': ' if what else ''}{first_line(e)}") from None
