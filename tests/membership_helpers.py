"""What the membership tests read of an article: the memberships kept, and the candidate pairs with their features."""

from __future__ import annotations

from kg.extract import extract_text
from kg.extract.document import Document
from kg.extract.orgs import find_entities
from kg.extract.pairs import Pair, Pairs
from kg.extract.relations import find_statements

__all__ = ["candidate_pairs", "memberships"]


def memberships(raw: str) -> set[tuple[str, str, str]]:
    """(member, body, status) of each membership ``kg extract`` keeps from the article ``raw``."""
    ex = extract_text(raw, "t")
    return {(s.subject.name, s.object.name, s.status) for s in ex.statements if s.is_membership}


def candidate_pairs(raw: str) -> dict[tuple[str, str], Pair]:
    """(member, body) -> the candidate pair, with the article-level features added, before the model decides."""
    doc = Document.from_raw(raw)
    pairs = Pairs()
    find_statements(doc, find_entities(doc, None), None, pairs=pairs)
    pairs.decide(None)
    return {(p.member.name, p.body.name): p for p in pairs.by_key.values()}
