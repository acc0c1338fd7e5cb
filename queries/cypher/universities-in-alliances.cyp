// Which universities are (or will be) members of an alliance, and on what evidence?
MATCH (u:University)<-[:MEMBER]-(m:Membership)-[:ORGANIZATION]->(a:Alliance)
MATCH (m)-[:WAS_DERIVED_FROM]->(ev:Evidence)
RETURN u.name_zh AS university, u.name_en AS english, a.name_zh AS alliance, substring(m.status, 5) AS status,
       ev.quote_zh AS evidence
ORDER BY university
