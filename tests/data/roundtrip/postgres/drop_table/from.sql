CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE audit_log (id serial PRIMARY KEY, message text);
