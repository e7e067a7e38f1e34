CREATE TABLE t (
    id INTEGER PRIMARY KEY,
    qty INTEGER CHECK (qty >= 0 AND qty < 100),
    price REAL,
    CONSTRAINT price_positive_renamed CHECK (price > 0),
    CONSTRAINT qty_or_price CHECK (qty IS NOT NULL OR price IS NOT NULL)
);
