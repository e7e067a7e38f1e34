INSERT INTO keep (id) VALUES (1), (2);
