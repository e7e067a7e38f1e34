INSERT INTO users VALUES (1, NULL, 'b'); INSERT INTO posts VALUES (1, 1), (2, 1);
