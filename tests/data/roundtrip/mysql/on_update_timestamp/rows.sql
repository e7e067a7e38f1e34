INSERT INTO t (id, touched) VALUES (1, '2024-01-01 00:00:00');
