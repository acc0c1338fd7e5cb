// Who are the members of a community or alliance, with status, date and the sentence that says so?
// Parameter: $name — the community's Chinese name (name) or one of its aliases.
// Active members are MEMBER_OF, planned ones (将吸纳) PLANNED_MEMBER_OF — never MEMBER_OF;
// each relationship carries its status, since, role, quote and source.
MATCH (o)-[r:MEMBER_OF|PLANNED_MEMBER_OF|FORMER_MEMBER_OF]->(c)
WHERE c.name = $name OR $name IN c.aliases
RETURN o.name AS member, r.status AS status, r.since AS since, r.quote AS evidence
ORDER BY status, member
