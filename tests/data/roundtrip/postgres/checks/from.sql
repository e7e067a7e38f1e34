CREATE TABLE products (id int PRIMARY KEY, price numeric NOT NULL, qty int, CONSTRAINT products_qty_check CHECK (qty >= 0));
