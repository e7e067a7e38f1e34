CREATE TABLE t (
  id int PRIMARY KEY,
  email varchar(100),
  handle varchar(50),
  CONSTRAINT t_handle UNIQUE (handle, email)
);
