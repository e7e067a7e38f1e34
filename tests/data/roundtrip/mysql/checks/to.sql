CREATE TABLE t (
  id int PRIMARY KEY,
  qty int,
  price int CHECK (price >= 0),
  CONSTRAINT t_price_cap CHECK (price < 1000 AND qty < 100)
);
