// Which communities have members the source does not name? (declared total vs named members)
// FalkorDB and Neo4j both accept this form; OPTIONAL MATCH + count keeps communities with none named.
MATCH (i:Indicator)-[:INDICATOR_OF]->(c) WHERE i.measure = 'park:memberCount'
OPTIONAL MATCH (c)<-[:MEMBER_OF|PLANNED_MEMBER_OF|FORMER_MEMBER_OF]-(m)
WITH c, toInteger(i.value) AS declared, count(DISTINCT m) AS named
RETURN c.name AS community, declared, named, declared - named AS unnamed
ORDER BY community
