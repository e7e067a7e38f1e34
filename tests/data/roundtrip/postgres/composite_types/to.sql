CREATE TYPE address AS (street text, city text, zip text);
CREATE TYPE money_amount AS (amount numeric(14,2), currency char(3));
CREATE TYPE point3 AS (x float8, y float8, z float8);
COMMENT ON TYPE point3 IS 'a point in space';
CREATE TABLE customers (id int PRIMARY KEY, home address, balance money_amount, pos point3);
CREATE TYPE z_level AS ENUM ('low', 'high');
CREATE DOMAIN a_level AS z_level NOT NULL;
CREATE TYPE b_reading AS (level a_level, at timestamptz);
