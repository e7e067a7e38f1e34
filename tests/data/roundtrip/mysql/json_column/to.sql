CREATE TABLE t (id int PRIMARY KEY, meta text, doc json);
