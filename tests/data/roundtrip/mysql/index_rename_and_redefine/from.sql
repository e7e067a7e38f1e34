CREATE TABLE t (id int PRIMARY KEY, a int, b varchar(40), c int);
CREATE INDEX t_a ON t (a);
CREATE INDEX t_b ON t (b);
CREATE UNIQUE INDEX t_c ON t (c);
