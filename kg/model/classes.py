"""The class hierarchy of the ontology as plain data: superclasses, subclasses, and a type named by a person."""

from __future__ import annotations

from kg.errors import KgError
from kg.model.terms import CLASSES, ORGANIZATION_CLASSES

__all__ = ["ancestors", "descendants", "classes_named", "label_zh"]


def ancestors(name: str) -> list[str]:
    """``name`` and all its superclasses, nearest first.

    >>> ancestors("Incubator")
    ['Incubator', 'IncubationCarrier', 'Organization']
    """
    out, todo = [], [name]
    while todo:
        c = todo.pop(0)
        if c not in out:
            out.append(c)
            todo.extend(CLASSES[c].parents if c in CLASSES else ())
    return out


def descendants(name: str) -> set[str]:
    """``name`` and all its subclasses.

    >>> sorted(descendants("OrganizationalCollaboration"))
    ['Alliance', 'OrganizationalCollaboration', 'PartyBuildingCommunity']
    """
    return {c for c in CLASSES if name in ancestors(c)}


def classes_named(type_: str) -> set[str]:
    """The classes a person means by ``type_`` (local name, Chinese or English label), with their subclasses.

    Raises :class:`~kg.errors.KgError` listing the organization types for a name that is no class.

    >>> sorted(classes_named("孵化载体"))
    ['Accelerator', 'IncubationCarrier', 'Incubator', 'MakerSpace', 'SciencePark']
    """
    key = type_.strip().casefold()
    for name, c in CLASSES.items():
        if key in {name.casefold(), c.zh.casefold(), c.en.casefold()}:
            return descendants(name)
    raise KgError(f"unknown type {type_!r}; known types: {', '.join(sorted(ORGANIZATION_CLASSES))}")


def label_zh(name: str) -> str:
    """The Chinese label of a class by local name ('' for one the ontology does not have)."""
    return CLASSES[name].zh if name in CLASSES else ""
