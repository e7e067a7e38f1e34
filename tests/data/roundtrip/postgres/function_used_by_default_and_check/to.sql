CREATE FUNCTION new_code() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT upper(substr(md5(random()::text), 1, 6)) $$;
CREATE FUNCTION is_code(t text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT t ~ '^[A-Z0-9]+$' $$;
CREATE FUNCTION norm(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(t) $$;
CREATE TABLE codes (id int PRIMARY KEY, code text NOT NULL DEFAULT new_code() CONSTRAINT codes_code_check CHECK (is_code(code)));
CREATE UNIQUE INDEX codes_norm ON codes (norm(code));
