CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c INTEGER);
CREATE INDEX t_a ON t (a, c);
CREATE INDEX t_bc ON t (b, c);
CREATE INDEX t_sort ON t (a DESC, b ASC);
CREATE INDEX t_a_renamed ON t (c) WHERE c > 0;
