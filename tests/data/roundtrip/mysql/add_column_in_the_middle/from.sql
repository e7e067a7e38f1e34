CREATE TABLE t (id int PRIMARY KEY, last_col int);
