INSERT INTO readings VALUES (1, '42', '2025-01-01 10:00', 1, 'ab'), (2, '7', NULL, 0, NULL);
