INSERT INTO accounts VALUES (1, NULL, NULL), (2, 'a@example.com', 'a');
