-- strata:lock-timeout 2s
-- The PostgreSQL corpus is written by the PostgreSQL rules' author.
CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL);
CREATE INDEX notes_body ON notes (body);
CREATE INDEX accounts_email ON accounts (email);
