CREATE TABLE t (id int PRIMARY KEY, code varchar(10), name varchar(20)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
