INSERT INTO t (tenant) VALUES (1), (2);
