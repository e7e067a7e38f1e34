CREATE TABLE customers (id int PRIMARY KEY, name varchar(100) NOT NULL, first_name varchar(50), last_name varchar(50));
CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, total decimal(12,2) NOT NULL DEFAULT 0, CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE RESTRICT);
CREATE INDEX orders_total ON orders (total);
