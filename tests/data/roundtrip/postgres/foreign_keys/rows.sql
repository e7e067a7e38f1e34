INSERT INTO authors VALUES (1), (2);
INSERT INTO books VALUES (1, 1, 2), (2, 2, NULL);
