"""Compatibility name for :mod:`kg.model.terms`, the one vocabulary module: import that instead.

Kept while modules being rewritten still say ``from kg import vocab``; the terms are plain
strings (``str(vocab.PARK)`` is the namespace IRI, ``vocab.PARK.memberCount`` a term IRI).
"""

from kg.model.terms import *  # noqa: F403
from kg.model.terms import __all__  # noqa: F401
