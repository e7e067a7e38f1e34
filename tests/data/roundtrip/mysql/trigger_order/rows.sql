INSERT INTO events VALUES (1, 'x');
