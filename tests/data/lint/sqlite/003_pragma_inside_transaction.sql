-- The PRAGMA looks right but strata runs this file in a transaction.
PRAGMA foreign_keys = OFF;
CREATE TABLE tmp_invoices (id INTEGER PRIMARY KEY, amount_cents INTEGER NOT NULL, paid_at TEXT);
INSERT INTO tmp_invoices (id, amount_cents, paid_at) SELECT id, amount * 100, paid_at FROM invoices;
-- strata:allow DL001 rebuild: rows copied into tmp_invoices
DROP TABLE invoices;
ALTER TABLE tmp_invoices RENAME TO invoices;
PRAGMA foreign_keys = ON;
