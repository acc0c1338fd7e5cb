"""Facts files: loaded into typed records with file:line, checked, and written back.

:func:`load_facts` reads a facts directory into :class:`~kg.model.records.Facts` or raises
:class:`FactsError` listing every problem as ``file:line: reason`` (:mod:`kg.facts.load`);
:mod:`kg.facts.check` holds the checks across files that a full and an incremental build
share; :mod:`kg.facts.write` adds items to a file, keeping its comments.
"""

from kg.facts.check import Known, check_across
from kg.facts.fields import KINDS, MEASURES, QUALIFIERS, REFS, REVIEW_STATES, STATUSES
from kg.facts.items import record_of
from kg.facts.load import facts_paths, load_facts, load_file, load_files
from kg.facts.marked import MAX_FILE_BYTES
from kg.facts.problems import FactsError, Problem
from kg.model.records import Chain, Entity, Facts, FactsFile, Indicator, Membership, Relation, Source

__all__ = [
    "Problem", "FactsError", "Source", "FactsFile", "Facts", "Entity", "Membership", "Relation", "Chain", "Indicator",
    "load_facts", "load_files", "record_of", "load_file", "facts_paths", "Known", "check_across",
    "KINDS", "STATUSES", "MEASURES", "QUALIFIERS", "REVIEW_STATES", "REFS", "MAX_FILE_BYTES",
]  # fmt: skip
