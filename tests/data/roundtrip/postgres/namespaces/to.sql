CREATE SCHEMA billing;
CREATE SCHEMA inventory;
CREATE TYPE billing.state AS ENUM ('open', 'paid');
CREATE TABLE billing.invoices (id int PRIMARY KEY, amount numeric NOT NULL, state billing.state NOT NULL DEFAULT 'open');
CREATE TABLE inventory.stock (id int PRIMARY KEY, invoice_id int REFERENCES billing.invoices (id));
CREATE INDEX stock_invoice ON inventory.stock (invoice_id);
CREATE VIEW inventory.open_stock AS SELECT s.id FROM inventory.stock s JOIN billing.invoices i ON i.id = s.invoice_id WHERE i.state = 'open';
CREATE SEQUENCE billing.invoice_numbers START 1000 INCREMENT 10;
