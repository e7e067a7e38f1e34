-- Shipping dates: metadata-only columns, asserted instant.
SET SESSION lock_wait_timeout = 5;

ALTER TABLE orders
  ADD COLUMN shipped_at DATETIME NULL,
  ADD COLUMN delivered_at DATETIME NULL,
  ALGORITHM=INSTANT;
