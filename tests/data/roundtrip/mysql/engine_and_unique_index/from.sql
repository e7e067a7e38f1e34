CREATE TABLE t (id int PRIMARY KEY, email varchar(100));
