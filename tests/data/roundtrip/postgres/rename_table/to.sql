CREATE TABLE customers (id int CONSTRAINT customer_pk PRIMARY KEY, name text NOT NULL, vip boolean NOT NULL DEFAULT false);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int CONSTRAINT orders_customer_id_fkey REFERENCES customers (id));
CREATE INDEX customer_name ON customers (name);
