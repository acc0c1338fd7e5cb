// Which organizations belong to two communities or alliances at once (active or planned)?
// A bridge between the 红领宁商 community and the green-computing alliance, for example.
MATCH (c1:OrganizationalCollaboration)<-[r1:MEMBER_OF|PLANNED_MEMBER_OF]-(o)-[r2:MEMBER_OF|PLANNED_MEMBER_OF]->(c2:OrganizationalCollaboration)
WHERE c1.iri < c2.iri
RETURN o.name AS organization, c1.name AS first, r1.status AS first_status, c2.name AS second, r2.status AS second_status
ORDER BY organization
