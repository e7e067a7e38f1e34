CREATE SCHEMA app;
CREATE SCHEMA old_ns;
CREATE TABLE app.user_account (id int PRIMARY KEY, email text NOT NULL);
CREATE TABLE app.sessions (id int PRIMARY KEY, user_id int NOT NULL REFERENCES app.user_account (id) ON DELETE CASCADE);
CREATE TABLE old_ns.leftovers (id int);
CREATE FUNCTION app.normalize(e text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT lower(e)';
