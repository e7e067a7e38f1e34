INSERT INTO t VALUES (1, 'sad', 'a,b'), (2, 'happy', NULL);
