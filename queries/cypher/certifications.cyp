// Which companies are certified as, or applying for, a qualification (新型研发机构, 高新技术企业…)?
// From the Assertion nodes, not the CERTIFIED_AS / APPLIES_FOR shortcuts: those are drawn for
// active relations only, and a planned application would show here with status 'park:planned'.
MATCH (o)<-[:SUBJECT]-(a:Assertion)-[:OBJECT]->(q:Qualification)
WHERE a.predicate IN ['park:certifiedAs', 'park:appliesFor']
MATCH (a)-[:WAS_DERIVED_FROM]->(ev:Evidence)
RETURN o.name AS organization, substring(a.predicate, 5) AS relation, q.name AS qualification,
       substring(a.status, 5) AS status, ev.quote_zh AS evidence
ORDER BY relation, organization, qualification
