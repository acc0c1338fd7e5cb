// Which universities are (or will be) members of an alliance, and on what evidence?
MATCH (u:University)-[r:MEMBER_OF|PLANNED_MEMBER_OF]->(a:Alliance)
RETURN u.name AS university, u.name_en AS english, a.name AS alliance, r.status AS status, r.quote AS evidence
ORDER BY university
