-- The classic 3 a.m. page: an index built with a write lock on a big table.
CREATE INDEX orders_total ON orders (total);
CREATE UNIQUE INDEX customers_lower_email ON customers (lower(email));
DROP INDEX orders_placed_at;
