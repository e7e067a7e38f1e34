INSERT INTO docs (id, body) VALUES (1, 'x');
