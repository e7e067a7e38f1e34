CREATE TYPE address AS (street text, city text);
CREATE TYPE money_amount AS (amount numeric(12,2), currency char(3));
CREATE TYPE gone AS (x int);
CREATE TABLE customers (id int PRIMARY KEY, home address, balance money_amount);
