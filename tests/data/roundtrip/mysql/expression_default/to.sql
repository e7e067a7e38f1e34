CREATE TABLE t (id int PRIMARY KEY, token varchar(40) DEFAULT (concat('t-', 1 + 1)));
