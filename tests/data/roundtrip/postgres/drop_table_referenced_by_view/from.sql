CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE legacy_orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id), total numeric);
CREATE VIEW order_totals AS SELECT c.name, sum(o.total) AS total FROM customers c JOIN legacy_orders o ON o.customer_id = c.id GROUP BY c.name;
CREATE VIEW big_spenders AS SELECT name FROM order_totals WHERE total > 10;
CREATE MATERIALIZED VIEW order_stats AS SELECT count(*) AS n FROM legacy_orders;
CREATE VIEW customer_names AS SELECT name FROM customers;
