INSERT INTO t VALUES (1, true), (2, false);
