CREATE TABLE accounts (id int NOT NULL CONSTRAINT accounts_id_key UNIQUE, handle text CONSTRAINT accounts_pkey PRIMARY KEY);
CREATE TABLE events (id int NOT NULL, at timestamptz);
