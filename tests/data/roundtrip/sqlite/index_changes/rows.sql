INSERT INTO t VALUES (1, 'x', 'y', 1), (2, 'x', 'y', 2);
