INSERT INTO t VALUES (1, 1, 'x', NOW()), (2, 2, 'y', NULL);
