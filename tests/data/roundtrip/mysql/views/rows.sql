INSERT INTO orders VALUES (1, 500, 'new'), (2, 5, 'old');
