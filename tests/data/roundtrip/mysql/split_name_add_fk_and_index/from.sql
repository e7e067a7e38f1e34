CREATE TABLE customers (id int PRIMARY KEY, name varchar(100) NOT NULL);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, total decimal(10,2));
