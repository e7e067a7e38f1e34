CREATE TABLE customer (id int CONSTRAINT customer_pk PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customer (id));
CREATE INDEX customer_name ON customer (name);
