-- Ids 1..3 are issued, then the highest is deleted: the next insert must get 4, never 3 again.
INSERT INTO orders (label) VALUES ('a'), ('b'), ('c');
DELETE FROM orders WHERE id = 3;
INSERT INTO order_lines (order_id, qty) VALUES (1, 1), (2, 5), (2, 7);
DELETE FROM order_lines WHERE id = 3;
