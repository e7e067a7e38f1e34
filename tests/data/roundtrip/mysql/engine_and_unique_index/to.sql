CREATE TABLE t (id int PRIMARY KEY, email varchar(100), UNIQUE KEY t_email (email) COMMENT 'one account per email');
CREATE TABLE cache (k varchar(40) NOT NULL, v text, PRIMARY KEY (k)) ENGINE=MyISAM COMMENT='scratch';
CREATE TABLE mem (k int NOT NULL, KEY mem_k (k) USING HASH) ENGINE=MEMORY;
