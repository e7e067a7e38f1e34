INSERT INTO t VALUES (1, 'a@x', 'A'), (2, 'b@x', NULL);
