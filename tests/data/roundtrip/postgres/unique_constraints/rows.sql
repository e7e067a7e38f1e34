INSERT INTO people VALUES (1, 'a@x', '1'), (2, 'b@x', '2');
