DROP TRIGGER posts_touch_author;
DROP INDEX posts_published_at;
ALTER TABLE posts DROP COLUMN published_at;
