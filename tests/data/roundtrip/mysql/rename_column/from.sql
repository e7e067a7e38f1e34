CREATE TABLE t (id int PRIMARY KEY, fullname varchar(50) NOT NULL DEFAULT '', age int, KEY t_name (fullname));
