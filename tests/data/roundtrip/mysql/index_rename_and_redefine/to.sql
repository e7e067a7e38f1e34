CREATE TABLE t (id int PRIMARY KEY, a int, b varchar(40), c int);
CREATE INDEX t_a_renamed ON t (a);
CREATE INDEX t_b ON t (b(10), a);
CREATE INDEX t_c ON t (c);
