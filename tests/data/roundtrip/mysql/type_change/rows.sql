INSERT INTO t VALUES (1, 10, 'a'), (2, NULL, 'b');
