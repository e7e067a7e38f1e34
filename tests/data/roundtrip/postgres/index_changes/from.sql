CREATE TABLE docs (id int PRIMARY KEY, title text, tags text[], body text, created_at timestamptz, score int);
CREATE INDEX docs_title ON docs (title);
CREATE UNIQUE INDEX docs_title_score ON docs (title, score);
CREATE INDEX docs_tags ON docs USING gin (tags);
CREATE INDEX docs_created ON docs USING brin (created_at);
CREATE INDEX docs_gone ON docs (score) WHERE score > 0;
