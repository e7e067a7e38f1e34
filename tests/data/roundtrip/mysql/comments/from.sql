CREATE TABLE t (id int PRIMARY KEY, a varchar(10) COMMENT 'old note', b int) COMMENT='old table';
