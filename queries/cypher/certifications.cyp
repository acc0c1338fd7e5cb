// Which companies are certified as, or applying for, a qualification (新型研发机构, 高新技术企业…)?
// Relation status is kept on the Assertion node: a planned application would say 'planned'.
MATCH (a:Assertion)-[:SUBJECT]->(o:Resource), (a)-[:OBJECT]->(q:Qualification)
WHERE a.predicate IN ['park:certifiedAs', 'park:appliesFor']
MATCH (a)-[:WAS_DERIVED_FROM]->(ev:Evidence)
RETURN o.name_zh AS organization, substring(a.predicate, 5) AS relation, q.name_zh AS qualification,
       substring(a.status, 5) AS status, ev.quote_zh AS evidence
ORDER BY relation, organization
