INSERT INTO tickets VALUES (1, 'low'), (2, 'high');
