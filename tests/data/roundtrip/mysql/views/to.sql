CREATE TABLE orders (id int PRIMARY KEY, amount bigint, status varchar(10), note text);
CREATE VIEW big_orders AS SELECT id, amount, status FROM orders WHERE amount > 100;
CREATE VIEW big_order_count AS SELECT COUNT(*) AS n FROM big_orders;
CREATE VIEW unchanged AS SELECT 1 AS one;
CREATE VIEW checked AS SELECT id, amount FROM orders WHERE amount > 0 WITH CHECK OPTION;
