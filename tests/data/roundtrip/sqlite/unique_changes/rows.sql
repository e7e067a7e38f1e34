INSERT INTO t VALUES (1, 'a', 'b', 'c'), (2, 'b', 'b', 'd');
