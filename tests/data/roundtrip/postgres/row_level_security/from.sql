CREATE TABLE docs (id int PRIMARY KEY, owner text NOT NULL, team text, public boolean NOT NULL DEFAULT false);
ALTER TABLE docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY docs_owner ON docs USING (owner = current_user);
CREATE POLICY docs_gone ON docs FOR DELETE USING (false);
CREATE TABLE notes (id int PRIMARY KEY, body text);
