CREATE TABLE docs (
  id int PRIMARY KEY,
  title varchar(200),
  body text,
  FULLTEXT KEY docs_text (title, body)
) ENGINE=InnoDB;
