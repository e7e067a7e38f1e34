INSERT INTO events VALUES (1, '2025-03-01'), (2, '2026-03-01'), (3, '2030-01-01');
INSERT INTO logs VALUES (1, 'a'), (2, 'b');
INSERT INTO old_parts VALUES (1), (2), (3);
