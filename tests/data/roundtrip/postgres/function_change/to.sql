CREATE TABLE docs (id int PRIMARY KEY, body text, updated_at timestamptz, version int NOT NULL DEFAULT 0);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    NEW.version := OLD.version + 1;
    RETURN NEW;
END;
$$;
CREATE TRIGGER docs_touch BEFORE UPDATE ON docs FOR EACH ROW EXECUTE FUNCTION touch();
CREATE FUNCTION helper(x int, y text DEFAULT 'a') RETURNS text LANGUAGE sql STABLE AS 'SELECT y || x';
CREATE FUNCTION helper(x text) RETURNS text LANGUAGE sql AS 'SELECT x';
