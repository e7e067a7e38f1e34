CREATE TABLE t (
  id int PRIMARY KEY,
  a int,
  b varchar(200),
  c datetime,
  KEY t_a (a)
);
