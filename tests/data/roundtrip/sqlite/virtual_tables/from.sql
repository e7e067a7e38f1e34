CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT, body TEXT);
CREATE VIRTUAL TABLE docs_fts USING fts5(title, content='docs', content_rowid='id');
CREATE VIRTUAL TABLE old_fts USING fts5(x);
