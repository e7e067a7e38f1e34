CREATE TABLE t (id int PRIMARY KEY, must varchar(10) NOT NULL, may varchar(10));
