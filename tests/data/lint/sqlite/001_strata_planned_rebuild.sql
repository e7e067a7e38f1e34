-- Planned by strata from the schema files; review before applying.
-- strata:foreign-keys-off

-- strata:allow DL001 rebuild: the rows were copied into _strata_new_orders above
CREATE TABLE "_strata_new_orders" (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL,
  total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
  status TEXT NOT NULL DEFAULT 'new'
);
INSERT INTO "_strata_new_orders" (id, customer_id, total_cents, status) SELECT id, customer_id, total_cents, status FROM orders;
DROP TABLE orders;
PRAGMA legacy_alter_table = ON;
ALTER TABLE "_strata_new_orders" RENAME TO orders;
PRAGMA legacy_alter_table = OFF;
CREATE INDEX orders_customer ON orders (customer_id);
