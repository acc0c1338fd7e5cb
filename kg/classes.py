"""Compatibility names for :mod:`kg.model.terms` and :mod:`kg.model.classes`: import those instead."""

from kg.model.classes import ancestors, descendants
from kg.model.terms import CLASSES, ORGANIZATION_CLASSES, RELATIONS

__all__ = ["CLASSES", "ORGANIZATION_CLASSES", "RELATIONS", "ancestors", "descendants"]
