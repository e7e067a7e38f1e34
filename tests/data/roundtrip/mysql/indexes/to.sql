CREATE TABLE t (
  id int PRIMARY KEY,
  a int,
  b varchar(200),
  c datetime,
  KEY t_a_b (a, b),
  KEY t_b_prefix (b(10)),
  KEY t_c_desc (c DESC, a),
  UNIQUE KEY t_b_uniq_prefix (b(20))
);
