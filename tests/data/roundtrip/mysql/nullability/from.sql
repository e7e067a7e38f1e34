CREATE TABLE t (id int PRIMARY KEY, must varchar(10), may varchar(10) NOT NULL);
