CREATE TABLE t (
  id int PRIMARY KEY,
  status varchar(20) DEFAULT 'active',
  qty int DEFAULT 5,
  price decimal(8,2) DEFAULT 9.99,
  seen datetime DEFAULT CURRENT_TIMESTAMP,
  quoted varchar(40) DEFAULT 'a \\ b ''c''',
  flag tinyint(1) NOT NULL
);
