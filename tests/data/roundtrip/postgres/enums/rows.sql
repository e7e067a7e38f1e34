INSERT INTO people VALUES (1, 'sad'), (2, 'ok');
