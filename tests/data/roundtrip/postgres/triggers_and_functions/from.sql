CREATE TABLE docs (id int PRIMARY KEY, body text, updated_at timestamptz);
