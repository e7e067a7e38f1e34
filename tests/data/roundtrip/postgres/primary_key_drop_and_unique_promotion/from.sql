CREATE TABLE accounts (id int PRIMARY KEY, handle text NOT NULL CONSTRAINT accounts_handle_key UNIQUE);
CREATE TABLE events (id int PRIMARY KEY, at timestamptz);
