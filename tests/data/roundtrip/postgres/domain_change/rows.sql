INSERT INTO addresses VALUES (1, '12345', 2), (2, NULL, 0);
