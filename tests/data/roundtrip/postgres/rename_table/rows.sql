INSERT INTO customer VALUES (1, 'a'), (2, 'b');
INSERT INTO orders VALUES (1, 1);
