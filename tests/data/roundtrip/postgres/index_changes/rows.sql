INSERT INTO docs VALUES (1, 'a', '{x,y}', 'hello world', now(), 1), (2, 'b', NULL, NULL, NULL, NULL);
