-- The desired state of the blog database: edit it, then `strata plan NAME` writes the migration.
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    published_at TEXT
);
CREATE INDEX posts_author_id ON posts (author_id);
CREATE INDEX posts_published_at ON posts (published_at) WHERE published_at IS NOT NULL;

-- Keep the newest post of each author handy.
CREATE TRIGGER posts_touch_author AFTER INSERT ON posts
BEGIN
    UPDATE users SET created_at = created_at WHERE id = NEW.author_id;
END;
