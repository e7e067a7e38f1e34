INSERT INTO customers VALUES (1, ROW('s', 'c'), ROW(10.5, 'EUR')), (2, NULL, NULL);
