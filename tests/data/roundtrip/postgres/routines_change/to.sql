CREATE TABLE items (id int PRIMARY KEY, price numeric NOT NULL);
CREATE FUNCTION with_tax(p numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS 'SELECT round(p * 1.21, 2)';
CREATE FUNCTION with_tax(p numeric, rate numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS 'SELECT round(p * (1 + rate), 2)';
CREATE PROCEDURE reprice(factor numeric) LANGUAGE plpgsql AS $$ BEGIN UPDATE items SET price = price * factor WHERE factor > 0; END $$;
CREATE VIEW priced AS SELECT id, with_tax(price) AS gross FROM items;
COMMENT ON FUNCTION with_tax(numeric) IS 'adds 21% VAT';
COMMENT ON PROCEDURE reprice(numeric) IS 'scales every price';
