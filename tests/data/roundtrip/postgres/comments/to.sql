CREATE TABLE t (id int PRIMARY KEY, a text, b text);
COMMENT ON TABLE t IS 'it''s the table';
COMMENT ON COLUMN t.a IS 'column a';
CREATE TABLE u (id int);
COMMENT ON TABLE u IS 'new';
COMMENT ON COLUMN u.id IS 'new column';
