INSERT INTO measures VALUES (1, 10, 'a', 'first', 0.5), (2, 20, NULL, NULL, NULL);
