-- Seeds are idempotent: they can run after every deploy.
INSERT INTO users (id, email, display_name) VALUES (1, 'ada@example.com', 'Ada')
    ON CONFLICT (id) DO NOTHING;
