INSERT INTO memberships VALUES (1, 1, 'admin'), (2, 1, 'user');
INSERT INTO tags VALUES ('a', 1);
