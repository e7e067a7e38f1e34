CREATE TABLE accounts (id int PRIMARY KEY, balance numeric NOT NULL DEFAULT 0, updated_at timestamptz);
CREATE TABLE account_log (account_id int, note text);
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE FUNCTION log_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO account_log VALUES (NEW.id, 'changed'); RETURN NEW; END $$;
CREATE TRIGGER accounts_stamp BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION stamp();
CREATE TRIGGER accounts_log AFTER UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION log_change();
