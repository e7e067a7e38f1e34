INSERT INTO t VALUES (1, 'a', 'b'), (2, 'c', 'd');
