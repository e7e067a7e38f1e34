INSERT INTO kv VALUES ('a', 1, 'x'), ('b', 2, 3);
