INSERT INTO posts (id, author_id, title, body, published_at)
    VALUES (1, 1, 'Hello, strata', 'Our first migration went fine.', '2026-11-01')
    ON CONFLICT (id) DO NOTHING;
