INSERT INTO customers VALUES (1, 'ann'), (2, 'bob');
INSERT INTO legacy_orders VALUES (1, 1, 9.5), (2, 2, 3);
