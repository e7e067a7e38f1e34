INSERT INTO docs VALUES (1, 'postgres', 'a', true); INSERT INTO notes VALUES (1, 'x');
