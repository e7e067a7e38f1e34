CREATE TYPE color AS ENUM ('red', 'green');
CREATE DOMAIN pct AS numeric(5,2) CHECK (VALUE BETWEEN 0 AND 100);
CREATE TABLE items (id int PRIMARY KEY, color color, discount pct, name text);
