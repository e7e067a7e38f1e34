CREATE TABLE t (id int PRIMARY KEY, name varchar(10)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
