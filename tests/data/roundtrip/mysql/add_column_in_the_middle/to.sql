CREATE TABLE t (id int PRIMARY KEY, middle int, last_col int);
