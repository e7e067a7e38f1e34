INSERT INTO t (id, a) VALUES (1, 'x'), (2, NULL);
