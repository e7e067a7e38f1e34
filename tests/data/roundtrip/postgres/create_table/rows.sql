INSERT INTO users VALUES (1, 'a@example.com'), (2, 'b@example.com');
