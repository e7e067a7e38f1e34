CREATE TABLE items (id int PRIMARY KEY, price numeric NOT NULL);
CREATE FUNCTION with_tax(p numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS 'SELECT p * 1.2';
CREATE FUNCTION gone(a int) RETURNS int LANGUAGE sql AS 'SELECT a';
CREATE PROCEDURE reprice(factor numeric) LANGUAGE sql AS $$ UPDATE items SET price = price * factor $$;
CREATE VIEW priced AS SELECT id, with_tax(price) AS gross FROM items;
COMMENT ON FUNCTION with_tax(numeric) IS 'adds VAT';
