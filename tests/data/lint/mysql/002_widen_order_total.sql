-- Totals overflowed INT for wholesale customers.
ALTER TABLE orders MODIFY COLUMN total_cents BIGINT NOT NULL DEFAULT 0;
