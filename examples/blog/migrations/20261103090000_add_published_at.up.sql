ALTER TABLE posts ADD COLUMN published_at TEXT;
CREATE INDEX posts_published_at ON posts (published_at) WHERE published_at IS NOT NULL;

-- Keep the newest post of each author handy.
CREATE TRIGGER posts_touch_author AFTER INSERT ON posts
BEGIN
    UPDATE users SET created_at = created_at WHERE id = NEW.author_id;
END;
