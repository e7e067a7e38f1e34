CREATE TABLE t (id int PRIMARY KEY, token varchar(40));
