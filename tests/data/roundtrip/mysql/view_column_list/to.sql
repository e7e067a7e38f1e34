CREATE TABLE t (id int PRIMARY KEY, a int);
CREATE VIEW v (ident, doubled) AS SELECT id, a * 2 FROM t;
CREATE VIEW v2 AS SELECT x.ident, 'it''s; here' AS s FROM v AS x JOIN t ON t.id = x.ident;
