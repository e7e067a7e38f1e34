INSERT INTO orders VALUES (1, 'a', 150, true), (2, 'b', 10, false);
