INSERT INTO t (v) VALUES ('a'), ('b'); INSERT INTO u (v) VALUES ('c');
