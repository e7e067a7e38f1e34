INSERT INTO measurements VALUES (1, '2025-01-01', 1);
