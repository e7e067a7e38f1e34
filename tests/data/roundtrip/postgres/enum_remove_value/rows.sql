INSERT INTO posts VALUES (1, 'draft', NULL), (2, 'published', 'review');
