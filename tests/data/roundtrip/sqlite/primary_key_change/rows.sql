INSERT INTO memberships VALUES (1, 1, 'a'), (1, 2, 'b');
INSERT INTO codes VALUES ('x', 'X');
INSERT INTO nokey VALUES (1, 2);
