CREATE TABLE accounts (id int PRIMARY KEY, balance numeric NOT NULL DEFAULT 0, updated_at timestamptz);
CREATE TABLE account_log (account_id int, note text);
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;
CREATE FUNCTION log_statement() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO account_log VALUES (NULL, TG_OP); RETURN NULL; END $$;
CREATE TRIGGER accounts_stamp BEFORE INSERT OR UPDATE OF balance ON accounts FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION stamp();
CREATE TRIGGER accounts_truncate AFTER TRUNCATE OR DELETE ON accounts FOR EACH STATEMENT EXECUTE FUNCTION log_statement();
