CREATE TABLE t (id int PRIMARY KEY, touched timestamp NULL, changed datetime);
