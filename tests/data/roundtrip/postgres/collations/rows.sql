INSERT INTO words VALUES (1, 'b', 'a'), (2, 'A', 'B');
