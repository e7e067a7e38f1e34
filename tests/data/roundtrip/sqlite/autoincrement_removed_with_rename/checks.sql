-- The counter follows the table through the rename, and stays when AUTOINCREMENT is dropped,
-- so that the down (which adds AUTOINCREMENT back) does not hand out id 3 again.
SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name IN ('ev', 'events') AND seq = 3);
SELECT 1 WHERE (SELECT COUNT(*) FROM sqlite_sequence) <> 1;
SELECT name FROM sqlite_sequence WHERE name NOT IN (SELECT name FROM sqlite_schema WHERE type = 'table');
