// Who are the members of a community or alliance, with status, date and the sentence that says so?
// Parameter: $name — the community's Chinese name (name_zh) or one of its aliases.
// Planned members (将吸纳) carry status 'park:planned'; they are never MEMBER_OF edges.
MATCH (m:Membership)-[:ORGANIZATION]->(c:Resource), (m)-[:MEMBER]->(o:Resource)
WHERE c.name_zh = $name OR $name IN c.aliases
MATCH (m)-[:WAS_DERIVED_FROM]->(ev:Evidence)
RETURN o.name_zh AS member, substring(m.status, 5) AS status, m.since AS since, ev.quote_zh AS evidence
ORDER BY status, member
