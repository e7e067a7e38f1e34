INSERT INTO people VALUES (1, 'Ann Lee', 'ann@x'), (2, 'Bob Roe', NULL);
