CREATE TABLE t (id bigint NOT NULL PRIMARY KEY, n bigint, label varchar(200) NOT NULL);
