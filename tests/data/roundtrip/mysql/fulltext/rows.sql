INSERT INTO docs VALUES (1, 'hello', 'world');
