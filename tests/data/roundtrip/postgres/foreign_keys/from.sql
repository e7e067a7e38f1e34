CREATE TABLE authors (id int PRIMARY KEY);
CREATE TABLE books (id int PRIMARY KEY, author_id int, editor_id int, CONSTRAINT books_editor_fk FOREIGN KEY (editor_id) REFERENCES authors (id));
