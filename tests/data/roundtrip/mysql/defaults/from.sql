CREATE TABLE t (
  id int PRIMARY KEY,
  status varchar(20) DEFAULT 'new',
  qty int DEFAULT 1,
  price decimal(8,2),
  seen datetime,
  quoted varchar(40) DEFAULT 'it''s',
  flag tinyint(1) NOT NULL DEFAULT 0
);
