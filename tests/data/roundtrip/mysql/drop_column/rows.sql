INSERT INTO t VALUES (1, 'x', 'old'), (2, 'y', NULL);
