-- A new feature's tables: everything is created in this file, so nothing locks existing data.
SET lock_timeout = '2s';
CREATE TABLE customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    total numeric(12, 2) NOT NULL CHECK (total >= 0),
    placed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_id ON orders (customer_id);
CREATE INDEX orders_placed_at ON orders (placed_at DESC);
ALTER TABLE orders ADD COLUMN note text;
ALTER TABLE orders ADD CONSTRAINT orders_note_length CHECK (length(note) < 500);
COMMENT ON TABLE orders IS 'One row per checkout';
