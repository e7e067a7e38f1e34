CREATE TABLE t (
  id int PRIMARY KEY,
  price int NOT NULL,
  qty int NOT NULL,
  total int AS (price * qty + 1) VIRTUAL,
  doubled int GENERATED ALWAYS AS (price * 2) STORED,
  label varchar(30) AS (concat('#', id)) VIRTUAL
);
