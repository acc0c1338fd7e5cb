// Which organizations belong to two communities or alliances at once (active or planned)?
// A bridge between the 红领宁商 community and the green-computing alliance, for example.
MATCH (o:Resource)<-[:MEMBER]-(m1:Membership)-[:ORGANIZATION]->(c1:OrganizationalCollaboration),
      (o)<-[:MEMBER]-(m2:Membership)-[:ORGANIZATION]->(c2:OrganizationalCollaboration)
WHERE c1.iri < c2.iri
RETURN o.name_zh AS organization, c1.name_zh AS first, substring(m1.status, 5) AS first_status,
       c2.name_zh AS second, substring(m2.status, 5) AS second_status
ORDER BY organization
