CREATE TABLE t (
    id INTEGER PRIMARY KEY,
    price INTEGER,
    qty INTEGER,
    total INTEGER GENERATED ALWAYS AS (price * qty) STORED,
    label TEXT GENERATED ALWAYS AS ('item-' || id) STORED
);
CREATE INDEX t_total ON t (total);
