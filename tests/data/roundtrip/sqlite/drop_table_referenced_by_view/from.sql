CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE legacy_orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers (id), total REAL);
CREATE VIEW order_totals AS SELECT c.name, sum(o.total) AS total FROM customers c JOIN legacy_orders o ON o.customer_id = c.id GROUP BY c.name;
CREATE VIEW customer_names AS SELECT name FROM customers;
