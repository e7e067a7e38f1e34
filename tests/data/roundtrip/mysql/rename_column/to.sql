CREATE TABLE t (id int PRIMARY KEY, display_name varchar(80) NOT NULL DEFAULT '', age int, KEY t_name (display_name));
