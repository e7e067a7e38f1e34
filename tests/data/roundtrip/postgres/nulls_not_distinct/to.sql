CREATE TABLE accounts (id int PRIMARY KEY, email text, handle text, CONSTRAINT accounts_email_key UNIQUE NULLS NOT DISTINCT (email));
CREATE UNIQUE INDEX accounts_handle ON accounts (handle) NULLS NOT DISTINCT;
