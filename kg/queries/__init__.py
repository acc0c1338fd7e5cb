"""Named queries (one text per backend each) and name resolution."""

from kg.model.names import Entity, NameIndex
from kg.queries.named import STATUS_CHOICES, chain, members, memberships, orgs, path, related, show, stats
from kg.queries.result import Report, Table

__all__ = ["members", "memberships", "related", "path", "chain", "orgs", "show", "stats", "STATUS_CHOICES",
           "Entity", "NameIndex", "Report", "Table"]
