CREATE TABLE t (
    id INTEGER PRIMARY KEY,
    qty INTEGER CHECK (qty >= 0),
    price REAL,
    CONSTRAINT price_positive CHECK (price > 0),
    CONSTRAINT gone CHECK (id < 1000000)
);
