CREATE TABLE t (id int PRIMARY KEY, a text, b text);
COMMENT ON TABLE t IS 'old table comment';
COMMENT ON COLUMN t.b IS 'to be removed';
