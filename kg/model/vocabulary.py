"""The shapes of the generated vocabulary (kg.model.terms): namespaces, classes and relations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

__all__ = ["Namespace", "Class", "Relation"]


class Namespace(type):
    """The metaclass of a namespace: ``str(NS)`` is its IRI, ``NS[name]`` a checked lookup; it is read-only.

    >>> class EX(metaclass=Namespace):
    ...     _NS = "http://example.org/"
    ...     thing = _NS + "thing"
    >>> str(EX), EX.thing, EX["thing"], list(EX)
    ('http://example.org/', 'http://example.org/thing', 'http://example.org/thing', ['thing'])
    >>> EX.thng
    Traceback (most recent call last):
    AttributeError: type object 'EX' has no attribute 'thng'
    """

    _NS: str

    def __str__(cls) -> str:
        return cls._NS

    def __iter__(cls) -> Iterator[str]:
        """The local names of the namespace's terms."""
        return (k for k, v in vars(cls).items() if not k.startswith("_") and isinstance(v, str))

    def __getitem__(cls, name: str) -> str:
        value = vars(cls).get(name)
        if name.startswith("_") or not isinstance(value, str):
            raise KeyError(f"{name!r} is not a term of {cls.__name__} ({cls._NS}); add it to scripts/gen_vocab.py")
        return value

    def __setattr__(cls, name: str, value: object) -> None:
        raise AttributeError(f"{cls.__name__} is read-only: its terms come from ontology/park.ttl")


class Class(NamedTuple):
    """A class of the ontology: IRI, Chinese and English labels, direct superclasses by local name."""

    iri: str
    zh: str
    en: str
    parents: tuple[str, ...]


class Relation(NamedTuple):
    """A relation a facts file may state: IRI, labels, and whether its object is text rather than an entity."""

    iri: str
    zh: str
    en: str
    literal: bool
