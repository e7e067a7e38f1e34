CREATE TABLE t (id int PRIMARY KEY, a varchar(10), b int COMMENT 'it''s b') COMMENT='the table''s note';
