SET lock_timeout = '2s';
ALTER TABLE orders DROP COLUMN note;
DROP TABLE legacy_invoices;
TRUNCATE audit_log CASCADE;
ALTER TABLE customers RENAME COLUMN email TO email_address;
ALTER TABLE orders RENAME TO purchases;
DROP SCHEMA reporting CASCADE;
ALTER TABLE customers ALTER COLUMN nickname DROP NOT NULL;
