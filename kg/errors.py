"""The exceptions park-kg raises for things a user can fix; the CLI turns them into one line."""

from __future__ import annotations

__all__ = ["KgError", "NotFound", "Ambiguous", "StoreMissing", "BuildLocked", "shorten"]


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
