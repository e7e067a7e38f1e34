INSERT INTO orders VALUES (1, 50, 'new'), (2, 500, 'paid'); INSERT INTO audit VALUES (2, 400);
