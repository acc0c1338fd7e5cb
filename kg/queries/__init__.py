"""Named queries (one text per backend each) and name resolution."""

from kg.model.names import Entity, NameIndex
from kg.queries.named import chain, members, memberships, orgs, show, stats
from kg.queries.relations import path, related
from kg.queries.result import Report, Table
from kg.queries.rows import STATUS_CHOICES

__all__ = ["members", "memberships", "related", "path", "chain", "orgs", "show", "stats", "STATUS_CHOICES",
           "Entity", "NameIndex", "Report", "Table"]
