// Which communities have members the source does not name? (declared total vs named members)
// FalkorDB and Neo4j both accept this form; OPTIONAL MATCH + count keeps communities with none named.
MATCH (i:Indicator)-[:INDICATOR_OF]->(c:Resource) WHERE i.measure = 'park:memberCount'
OPTIONAL MATCH (c)<-[:ORGANIZATION]-(m:Membership)
WITH c, toInteger(i.value) AS declared, count(m) AS named
RETURN c.name_zh AS community, declared, named, declared - named AS unnamed
ORDER BY community
