INSERT INTO t (id, a, z) VALUES (1, 2, 3);
