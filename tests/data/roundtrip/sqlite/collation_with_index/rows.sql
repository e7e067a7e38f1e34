INSERT INTO t VALUES (1, 'A', 'x'), (2, 'a', 'X');
