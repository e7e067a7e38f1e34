INSERT INTO a (v) VALUES ('x'), ('y');
INSERT INTO b VALUES (1, 'x');
INSERT INTO c (v) VALUES ('x');
