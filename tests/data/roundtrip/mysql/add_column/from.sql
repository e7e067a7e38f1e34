CREATE TABLE t (id int PRIMARY KEY, a varchar(20));
