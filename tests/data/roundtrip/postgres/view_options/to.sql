CREATE TABLE t (id int PRIMARY KEY, flag boolean);
CREATE VIEW v WITH (security_invoker = true, security_barrier = true) AS SELECT id FROM t;
CREATE VIEW w AS SELECT id, flag FROM t WHERE flag WITH LOCAL CHECK OPTION;
CREATE MATERIALIZED VIEW m WITH (fillfactor = 60) AS SELECT id FROM t;
