CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'ecstatic');
CREATE TYPE color AS ENUM ('red', 'green', 'it''s blue');
COMMENT ON TYPE color IS 'primary colours';
CREATE TABLE people (id int PRIMARY KEY, mood mood NOT NULL DEFAULT 'ok', favourite color);
