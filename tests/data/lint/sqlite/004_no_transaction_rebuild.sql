-- strata:no-transaction
-- The documented 12-step rebuild, written by hand.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE _new_products (id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, price_cents INTEGER NOT NULL);
INSERT INTO _new_products (id, sku, price_cents) SELECT id, sku, price_cents FROM products;
-- strata:allow DL001 rebuild: rows copied into _new_products
DROP TABLE products;
ALTER TABLE _new_products RENAME TO products;
PRAGMA foreign_key_check;
COMMIT;
PRAGMA foreign_keys = ON;
