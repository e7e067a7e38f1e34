INSERT INTO events VALUES (1, 'a', '{"x":1}', now(), NULL, 'A@x'), (2, 'b', NULL, now(), now(), 'b@x');
