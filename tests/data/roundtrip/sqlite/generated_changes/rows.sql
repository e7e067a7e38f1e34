INSERT INTO t (id, price, qty) VALUES (1, 2, 3), (2, 5, NULL);
