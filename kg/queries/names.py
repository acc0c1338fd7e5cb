"""Compatibility names for :mod:`kg.model.names` (name resolution moved to the model layer): import that instead."""

from kg.model.names import ID_BASE, Entity, NameIndex

__all__ = ["Entity", "NameIndex", "ID_BASE"]
