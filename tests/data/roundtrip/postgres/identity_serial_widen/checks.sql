-- The sequences keep their positions: the next id is above every id ever issued (5), not max(id) + 1.
SELECT 1 FROM accounts_id_seq WHERE last_value < 5 OR NOT is_called;
SELECT 1 FROM tickets_id_seq WHERE last_value < 5 OR NOT is_called;
SELECT 1 FROM notes_id_seq WHERE last_value < 3 OR NOT is_called;
-- A serial's sequence has its column's type (a bigint column with an integer sequence stops at 2^31 - 1).
SELECT 1 FROM pg_sequences s JOIN information_schema.columns c ON c.table_name = 'tickets' AND c.column_name = 'id' WHERE s.sequencename = 'tickets_id_seq' AND s.data_type::text <> c.data_type;
