INSERT INTO accounts VALUES (1, 'a'), (2, 'b');
INSERT INTO events VALUES (1, now());
