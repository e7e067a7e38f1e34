INSERT INTO products VALUES (1, 10, 5), (2, 20, NULL);
