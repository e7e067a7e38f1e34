CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE VIEW customer_names AS SELECT name FROM customers;
