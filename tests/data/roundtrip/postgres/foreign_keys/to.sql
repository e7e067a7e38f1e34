CREATE TABLE authors (id int PRIMARY KEY);
CREATE TABLE books (id int PRIMARY KEY, author_id int, editor_id int,
    CONSTRAINT books_author_fk FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE ON UPDATE RESTRICT,
    CONSTRAINT books_editor_fk FOREIGN KEY (editor_id) REFERENCES authors (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE chapters (book_id int REFERENCES books (id) DEFERRABLE, n int, PRIMARY KEY (book_id, n));
CREATE TABLE notes (book_id int, n int, FOREIGN KEY (book_id, n) REFERENCES chapters (book_id, n) ON DELETE SET DEFAULT);
