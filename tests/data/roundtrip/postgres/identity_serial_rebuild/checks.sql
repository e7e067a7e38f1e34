-- The next numbers are above every number ever issued (5), after the rebuild and after its reverse.
SELECT 1 WHERE (SELECT pg_sequence_last_value(pg_get_serial_sequence('items', 'id')::regclass)) IS DISTINCT FROM 5;
SELECT 1 FROM items_code_seq WHERE last_value < 5 OR NOT is_called;
SELECT 1 WHERE (SELECT count(*) FROM items) <> 3 OR (SELECT count(*) FROM item_tags JOIN items ON items.id = item_tags.item_id) <> 2;
