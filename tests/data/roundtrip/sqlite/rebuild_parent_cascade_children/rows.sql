INSERT INTO accounts VALUES (1, 'a', 'free'), (2, 'b', 'pro');
INSERT INTO projects VALUES (1, 1, 'p1'), (2, 1, 'p2'), (3, 2, 'p3');
INSERT INTO tasks VALUES (1, 1, 1), (2, 1, 2), (3, 2, NULL), (4, 3, 2);
