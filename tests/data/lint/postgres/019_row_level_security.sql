-- Row-level security: switched on for a table without any policy hides every row from the
-- application's role; with policies created in the same migration it is only a warning.
SET lock_timeout = '5s';
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
CREATE POLICY documents_owner ON documents USING (owner = current_user);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
CREATE TABLE drafts (id bigint PRIMARY KEY, owner text NOT NULL);
ALTER TABLE drafts ENABLE ROW LEVEL SECURITY;
