CREATE TABLE docs (id int PRIMARY KEY, title text, tags text[], body text, created_at timestamptz, score int);
CREATE INDEX docs_title ON docs USING hash (title);
CREATE INDEX docs_title_score ON docs (title DESC, score NULLS FIRST);
CREATE INDEX docs_tags ON docs USING gin (tags) WHERE tags IS NOT NULL;
CREATE INDEX docs_created ON docs USING brin (created_at, id);
CREATE INDEX docs_body_fts ON docs USING gin (to_tsvector('english', coalesce(body, '')));
CREATE INDEX docs_score_positive ON docs (score) WHERE score > 0;
