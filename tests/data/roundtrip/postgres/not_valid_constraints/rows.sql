INSERT INTO customers VALUES (1), (2);
INSERT INTO orders VALUES (1, 1, 10), (2, 2, 0);
-- A refund of 0 breaks the NOT VALID check the up plan adds: existing rows are not checked.
INSERT INTO refunds VALUES (1, 1, 5), (2, 2, 0);
