INSERT INTO author VALUES (1, 'a'); INSERT INTO book VALUES (1, 1, 't'), (2, 1, 'u');
