CREATE TABLE authors ( -- strata:renamed-from author
    id INTEGER PRIMARY KEY,
    name TEXT
);
CREATE TABLE book (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors (id) ON DELETE CASCADE, title TEXT);
CREATE INDEX author_name ON authors (name);
