CREATE TABLE products (id int PRIMARY KEY, price numeric NOT NULL, qty int,
    CONSTRAINT products_price_check CHECK (price > 0),
    CONSTRAINT products_sane CHECK (qty IS NULL OR (qty < 1000 AND price < 100000)));
