INSERT INTO lines (id, qty, price, total) VALUES (1, 2, 5, 10), (2, 1, 3, 3);
