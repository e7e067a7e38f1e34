CREATE TABLE t (
  id int PRIMARY KEY,
  qty int,
  price int,
  CONSTRAINT t_qty_positive CHECK (qty > 0)
);
