CREATE TABLE t (
  id int PRIMARY KEY,
  flag bit(1) NOT NULL DEFAULT b'1',
  uid binary(16),
  yr year DEFAULT 2024,
  ratio float DEFAULT 0.5,
  big double NOT NULL DEFAULT -1.5e10,
  payload blob,
  body mediumtext,
  code char(3) NOT NULL DEFAULT 'abc',
  born date DEFAULT '2000-01-01',
  at_time time(3),
  amount decimal(12,4) unsigned DEFAULT 0,
  tiny tinyint unsigned zerofill,
  nothing varchar(10) DEFAULT NULL,
  null_word varchar(10) DEFAULT 'NULL',
  empty varchar(10) NOT NULL DEFAULT ''
);
