-- The rebuild (and its down) carry the AUTOINCREMENT counter over: id 3 is never handed out again.
SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'ev' AND seq = 3);
SELECT name FROM sqlite_sequence GROUP BY name HAVING COUNT(*) > 1 OR name <> 'ev';
