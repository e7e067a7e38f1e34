CREATE SCHEMA app;
CREATE SCHEMA audit;
CREATE FUNCTION app.normalize(e text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT lower(e)';
CREATE TABLE app.users (id int PRIMARY KEY, email text NOT NULL CHECK (email LIKE '%@%'));
CREATE TABLE app.sessions (id int PRIMARY KEY, user_id int NOT NULL REFERENCES app.users (id) ON DELETE CASCADE);
CREATE TABLE audit.events (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id int REFERENCES app.users (id) ON DELETE SET NULL, at timestamptz NOT NULL DEFAULT now());
CREATE FUNCTION audit.log_user() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit.events (user_id) VALUES (NEW.id); RETURN NEW; END $$;
CREATE TRIGGER users_log AFTER INSERT ON app.users FOR EACH ROW EXECUTE FUNCTION audit.log_user();
