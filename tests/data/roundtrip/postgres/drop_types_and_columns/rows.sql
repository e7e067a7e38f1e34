INSERT INTO items VALUES (1, 'red', 10, 'a'), (2, NULL, NULL, 'b');
