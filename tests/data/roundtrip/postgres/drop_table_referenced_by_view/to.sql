CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
CREATE VIEW customer_names AS SELECT name FROM customers;
