// The incubation chain, stage by stage, in order (maker space → incubator → … → industrial park).
MATCH (c:IncubationChain)-[:HAS_STAGE]->(s:ChainStage)-[:STAGE_ENTITY]->(e)
RETURN s.position AS position, e.name AS stage, e.name_en AS english, substring(e.types[0], 5) AS kind
ORDER BY position
