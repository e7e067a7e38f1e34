CREATE TYPE status AS ENUM ('draft', 'review', 'published');
CREATE TABLE posts (id int PRIMARY KEY, status status NOT NULL DEFAULT 'draft', previous status);
CREATE INDEX posts_status ON posts (status);
