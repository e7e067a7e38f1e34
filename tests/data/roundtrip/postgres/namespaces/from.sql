CREATE SCHEMA billing;
CREATE TABLE billing.invoices (id int PRIMARY KEY, amount numeric NOT NULL);
CREATE SCHEMA legacy;
CREATE TABLE legacy.old_stuff (id int);
