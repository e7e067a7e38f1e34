-- Each query lists what is wrong; it must return no rows after apply and after rollback.
-- An AUTO_INCREMENT counter that would hand out an id already issued (orders 3, order_lines 3),
-- or a column that lost AUTO_INCREMENT (the counter is then NULL).
SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES
 WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('orders', 'order_lines')
   AND (AUTO_INCREMENT IS NULL OR AUTO_INCREMENT <= 3);
-- Every line still points at its order.
SELECT l.id FROM order_lines l LEFT JOIN orders o ON o.id = l.order_id WHERE o.id IS NULL;
