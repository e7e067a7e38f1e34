INSERT INTO items VALUES (1, 'old', 'one'), (2, NULL, 'two');
