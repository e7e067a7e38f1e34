CREATE TABLE orders (id int PRIMARY KEY, amount int NOT NULL, customer text);
CREATE VIEW big_orders AS SELECT id, amount FROM orders WHERE amount > 100;
CREATE VIEW big_order_count AS SELECT count(*) AS n FROM big_orders;
CREATE VIEW customers AS SELECT DISTINCT customer FROM orders;
