CREATE TABLE t (id int PRIMARY KEY, a int, g int AS (a * 2) STORED, z int);
