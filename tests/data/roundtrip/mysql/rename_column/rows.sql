INSERT INTO t VALUES (1, 'ann', 3), (2, 'bob', 4);
