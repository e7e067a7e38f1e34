CREATE TABLE t (
  id int PRIMARY KEY,
  a varchar(20),
  b int NOT NULL DEFAULT 7,
  c varchar(30) DEFAULT 'none'
);
