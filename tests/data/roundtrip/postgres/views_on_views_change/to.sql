CREATE TABLE orders (id int PRIMARY KEY, customer text NOT NULL, amount numeric NOT NULL, paid boolean NOT NULL DEFAULT false);
CREATE VIEW paid_orders AS SELECT id, customer, amount, amount * 0.2 AS tax FROM orders WHERE paid;
CREATE VIEW customer_totals AS SELECT customer, sum(amount) AS total, sum(tax) AS tax FROM paid_orders GROUP BY customer;
CREATE VIEW top_customers AS SELECT customer FROM customer_totals WHERE total > 100;
CREATE VIEW top_customer_count AS SELECT count(*) AS n FROM top_customers;
