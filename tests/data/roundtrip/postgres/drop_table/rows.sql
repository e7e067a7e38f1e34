INSERT INTO users VALUES (1, 'a@example.com');
INSERT INTO audit_log (message) VALUES ('x'), ('y');
