CREATE DOMAIN positive_amount AS numeric(12,2) NOT NULL DEFAULT 0 CONSTRAINT positive_amount_check CHECK (VALUE >= 0);
CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
CREATE TABLE orders (id int PRIMARY KEY, total numeric, amount positive_amount, contact email);
