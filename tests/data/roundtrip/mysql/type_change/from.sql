CREATE TABLE t (id int NOT NULL PRIMARY KEY, n int, label varchar(50) NOT NULL);
